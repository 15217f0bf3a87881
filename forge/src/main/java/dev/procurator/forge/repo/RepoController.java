package dev.procurator.forge.repo;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.Callers;
import dev.procurator.common.config.ProcuratorProperties;
import dev.procurator.forge.token.Scopes;

/** Repositories and their collaborators. */
@RestController
@RequestMapping("/api/v1/repos")
class RepoController {

    record CreateRepo(String name, @JsonProperty("private") Boolean isPrivate, String description) {
    }

    record UpdateRepo(@JsonProperty("private") Boolean isPrivate, String description) {
    }

    record RepoView(long id, String owner, String name, String fullName, @JsonProperty("private") boolean isPrivate,
                    String description, String defaultBranch, String cloneUrl, String htmlUrl, String permission,
                    Instant createdAt) {
    }

    record SetCollaborator(String role) {
    }

    record CollaboratorView(String user, String role) {
    }

    private final RepoService repos;
    private final ProcuratorProperties procurator;

    RepoController(RepoService repos, ProcuratorProperties procurator) {
        this.repos = repos;
        this.procurator = procurator;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    RepoView create(HttpServletRequest request, @RequestBody CreateRepo body) {
        Caller caller = Callers.requireScope(request, Scopes.WRITE);
        Repo repo = repos.create(caller, body.name(), Boolean.TRUE.equals(body.isPrivate()), body.description());
        return view(new RepoService.Access(repo, Permission.ADMIN));
    }

    @GetMapping
    List<RepoView> list(HttpServletRequest request) {
        Optional<Caller> caller = Callers.current(request);
        return repos.visibleTo(caller).stream()
                .map(r -> view(new RepoService.Access(r, repos.permissionOf(caller, r))))
                .toList();
    }

    @GetMapping("/{owner}/{name}")
    RepoView get(HttpServletRequest request, @PathVariable String owner, @PathVariable String name) {
        return view(repos.require(Callers.current(request), owner, name, Permission.READ));
    }

    @PatchMapping("/{owner}/{name}")
    RepoView update(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                    @RequestBody UpdateRepo body) {
        RepoService.Access access = repos.require(Callers.current(request), owner, name, Permission.ADMIN);
        return view(new RepoService.Access(repos.update(access, body.isPrivate(), body.description()),
                access.permission()));
    }

    @DeleteMapping("/{owner}/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(HttpServletRequest request, @PathVariable String owner, @PathVariable String name) {
        repos.delete(repos.require(Callers.current(request), owner, name, Permission.ADMIN));
    }

    @GetMapping("/{owner}/{name}/collaborators")
    List<CollaboratorView> collaborators(HttpServletRequest request, @PathVariable String owner,
                                         @PathVariable String name) {
        Repo repo = repos.require(Callers.current(request), owner, name, Permission.READ).repo();
        return repos.collaborators(repo).stream()
                .map(c -> new CollaboratorView(repos.userName(c.userId()), c.role().label()))
                .toList();
    }

    @PutMapping("/{owner}/{name}/collaborators/{user}")
    CollaboratorView setCollaborator(HttpServletRequest request, @PathVariable String owner,
                                     @PathVariable String name, @PathVariable String user,
                                     @RequestBody SetCollaborator body) {
        Repo repo = repos.require(Callers.current(request), owner, name, Permission.ADMIN).repo();
        Collaborator c = repos.setCollaborator(repo, user, Permission.role(body.role()));
        return new CollaboratorView(user, c.role().label());
    }

    @DeleteMapping("/{owner}/{name}/collaborators/{user}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeCollaborator(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                            @PathVariable String user) {
        Repo repo = repos.require(Callers.current(request), owner, name, Permission.ADMIN).repo();
        repos.removeCollaborator(repo, user);
    }

    private RepoView view(RepoService.Access access) {
        Repo r = access.repo();
        String base = procurator.forgeUrl().replaceAll("/+$", "");
        return new RepoView(r.id(), r.owner().name(), r.name(), r.fullName(), r.isPrivate(), r.description(),
                r.defaultBranch(), base + "/" + r.fullName() + ".git", base + "/" + r.fullName(),
                access.permission().label(), r.createdAt());
    }
}
