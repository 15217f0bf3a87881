package dev.procurator.forge.repo;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.common.auth.Callers;
import dev.procurator.common.error.ApiException;

/** Read-only browsing of a repository's content over the API (what the UI shows, for the CLI and scripts). */
@RestController
@RequestMapping("/api/v1/repos/{owner}/{name}")
class BrowseController {

    private final RepoService repos;
    private final RepoBrowser browser;

    BrowseController(RepoService repos, RepoBrowser browser) {
        this.repos = repos;
        this.browser = browser;
    }

    @GetMapping("/branches")
    List<RepoBrowser.Branch> branches(HttpServletRequest request, @PathVariable String owner,
                                      @PathVariable String name) {
        return browser.branches(repos.require(Callers.current(request), owner, name, Permission.READ).repo());
    }

    @GetMapping("/commits")
    List<RepoBrowser.Commit> commits(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                                     @RequestParam(required = false) String ref,
                                     @RequestParam(defaultValue = "30") int limit) {
        Repo repo = repos.require(Callers.current(request), owner, name, Permission.READ).repo();
        String commit = browser.resolve(repo, ref).orElseThrow(() ->
                ApiException.notFound("No commit named '" + (ref == null ? repo.defaultBranch() : ref) + "'."));
        return browser.log(repo, commit, Math.max(1, Math.min(limit, 500)));
    }
}
