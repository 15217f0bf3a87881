package dev.procurator.forge.git;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.common.auth.Callers;
import dev.procurator.forge.repo.Permission;
import dev.procurator.forge.repo.Repo;
import dev.procurator.forge.repo.RepoService;

/** Repacks a repository now (JGit GC with bitmaps), for operators and the benchmark; needs admin access. */
@RestController
class MaintenanceController {

    record Repacked(String repo, int packs) {
    }

    private final RepoService repos;
    private final RepoMaintenance maintenance;

    MaintenanceController(RepoService repos, RepoMaintenance maintenance) {
        this.repos = repos;
        this.maintenance = maintenance;
    }

    @PostMapping("/api/v1/repos/{owner}/{name}/gc")
    Repacked gc(HttpServletRequest request, @PathVariable String owner, @PathVariable String name) {
        Repo repo = repos.require(Callers.current(request), owner, name, Permission.ADMIN).repo();
        return new Repacked(repo.fullName(), maintenance.repackNow(repo.owner().name(), repo.name()));
    }
}
