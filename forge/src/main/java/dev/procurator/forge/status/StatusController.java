package dev.procurator.forge.status;

import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.Callers;
import dev.procurator.forge.repo.Permission;
import dev.procurator.forge.repo.Repo;
import dev.procurator.forge.repo.RepoService;

/** Commit statuses (Gitea/GitHub style): posting needs write access, reading needs read access. */
@RestController
@RequestMapping("/api/v1/repos/{owner}/{name}")
class StatusController {

    record CreateStatus(String state, String context, String description, String targetUrl) {
    }

    record StatusView(long id, String sha, String state, String context, String description, String targetUrl,
                      String creator, Instant createdAt) {
        static StatusView of(CommitStatus s) {
            return new StatusView(s.id(), s.sha(), s.state(), s.context(), s.description(), s.targetUrl(),
                    s.creator(), s.createdAt());
        }
    }

    record CombinedView(String state, String sha, int totalCount, List<StatusView> statuses) {
    }

    private final RepoService repos;
    private final StatusService statuses;

    StatusController(RepoService repos, StatusService statuses) {
        this.repos = repos;
        this.statuses = statuses;
    }

    @PostMapping("/statuses/{sha}")
    @ResponseStatus(HttpStatus.CREATED)
    StatusView create(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                      @PathVariable String sha, @RequestBody CreateStatus body) {
        Caller caller = Callers.require(request);
        Repo repo = repos.require(Callers.current(request), owner, name, Permission.WRITE).repo();
        return StatusView.of(statuses.create(repo, sha, body.state(), body.context(), body.description(),
                body.targetUrl(), caller.name()));
    }

    @GetMapping("/statuses/{sha}")
    List<StatusView> list(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                          @PathVariable String sha) {
        Repo repo = repos.require(Callers.current(request), owner, name, Permission.READ).repo();
        return statuses.of(repo, sha).stream().map(StatusView::of).toList();
    }

    @GetMapping("/commits/{sha}/status")
    CombinedView combined(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                          @PathVariable String sha) {
        Repo repo = repos.require(Callers.current(request), owner, name, Permission.READ).repo();
        CombinedStatus combined = statuses.combined(repo, sha);
        return new CombinedView(combined.state(), combined.sha(), combined.totalCount(),
                combined.statuses().stream().map(StatusView::of).toList());
    }
}
