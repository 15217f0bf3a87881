package dev.procurator.forge.protection;

import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.common.auth.Callers;
import dev.procurator.forge.repo.Permission;
import dev.procurator.forge.repo.Repo;
import dev.procurator.forge.repo.RepoService;

/** Protected branches of a repository: reading needs read access, changing them admin access. */
@RestController
@RequestMapping("/api/v1/repos/{owner}/{name}/protections")
class ProtectionController {

    /** Omitted flags default to protected (true): protecting a branch forbids force-push and deletion. */
    record Protect(Boolean forbidForcePush, Boolean forbidDeletion, List<String> pushers) {
    }

    record ProtectionView(String branch, boolean forbidForcePush, boolean forbidDeletion, List<String> pushers,
                          Instant createdAt) {
        static ProtectionView of(BranchProtection p) {
            return new ProtectionView(p.branch(), p.forbidForcePush(), p.forbidDeletion(), p.pushers(),
                    p.createdAt());
        }
    }

    private final RepoService repos;
    private final ProtectionService protections;

    ProtectionController(RepoService repos, ProtectionService protections) {
        this.repos = repos;
        this.protections = protections;
    }

    @GetMapping
    List<ProtectionView> list(HttpServletRequest request, @PathVariable String owner, @PathVariable String name) {
        Repo repo = repos.require(Callers.current(request), owner, name, Permission.READ).repo();
        return protections.of(repo).stream().map(ProtectionView::of).toList();
    }

    @PutMapping("/{branch}")
    ProtectionView protect(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                           @PathVariable String branch, @RequestBody(required = false) Protect body) {
        Repo repo = repos.require(Callers.current(request), owner, name, Permission.ADMIN).repo();
        Protect p = body == null ? new Protect(null, null, null) : body;
        return ProtectionView.of(protections.protect(repo, branch, !Boolean.FALSE.equals(p.forbidForcePush()),
                !Boolean.FALSE.equals(p.forbidDeletion()), p.pushers()));
    }

    @DeleteMapping("/{branch}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unprotect(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                   @PathVariable String branch) {
        Repo repo = repos.require(Callers.current(request), owner, name, Permission.ADMIN).repo();
        protections.unprotect(repo, branch);
    }
}
