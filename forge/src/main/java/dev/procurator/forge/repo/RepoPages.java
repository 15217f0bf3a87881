package dev.procurator.forge.repo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.procurator.common.auth.Callers;
import dev.procurator.common.config.ProcuratorProperties;
import dev.procurator.common.error.ApiException;
import dev.procurator.forge.status.CombinedStatus;
import dev.procurator.forge.status.StatusService;

/** Repository pages: overview (branches, recent commits with statuses, files), file browser, commit diff. */
@Controller
@RequestMapping(RepoPaths.PAGES)
class RepoPages {

    /** One path element of the file browser's breadcrumb. */
    record Crumb(String name, String path) {
    }

    private final RepoService repos;
    private final RepoBrowser browser;
    private final StatusService statuses;
    private final ProcuratorProperties procurator;

    RepoPages(RepoService repos, RepoBrowser browser, StatusService statuses, ProcuratorProperties procurator) {
        this.repos = repos;
        this.browser = browser;
        this.statuses = statuses;
        this.procurator = procurator;
    }

    @GetMapping
    String overview(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                    @RequestParam(required = false) String ref, Model model) {
        RepoService.Access access = read(request, owner, repo);
        Repo r = access.repo();
        model.addAttribute("repo", r);
        model.addAttribute("admin", access.can(Permission.ADMIN));
        model.addAttribute("cloneUrl", procurator.forgeUrl().replaceAll("/+$", "") + "/" + r.fullName() + ".git");
        List<RepoBrowser.Branch> branches = browser.branches(r);
        String shownRef = ref == null || ref.isBlank() ? r.defaultBranch() : ref;
        Optional<String> head = browser.resolve(r, shownRef);
        List<RepoBrowser.Commit> commits = head.map(h -> browser.log(r, h, 30)).orElse(List.of());
        List<String> shas = new ArrayList<>(commits.stream().map(RepoBrowser.Commit::sha).toList());
        branches.forEach(b -> shas.add(b.sha()));
        Map<String, CombinedStatus> states = statuses.combined(r, shas);
        model.addAttribute("branches", branches);
        model.addAttribute("ref", shownRef);
        model.addAttribute("head", head.orElse(null));
        model.addAttribute("commits", commits);
        model.addAttribute("states", states);
        model.addAttribute("entries", head.map(h -> browser.tree(r, h, "")).orElse(List.of()));
        return "forge/repo";
    }

    @GetMapping("/tree")
    String tree(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                @RequestParam(required = false) String ref, @RequestParam(defaultValue = "") String path,
                Model model) {
        Repo r = read(request, owner, repo).repo();
        String head = commitOf(r, ref);
        model.addAttribute("repo", r);
        model.addAttribute("ref", ref == null ? r.defaultBranch() : ref);
        model.addAttribute("path", path);
        model.addAttribute("crumbs", crumbs(path));
        model.addAttribute("entries", browser.tree(r, head, path));
        return "forge/tree";
    }

    @GetMapping("/blob")
    String blob(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                @RequestParam(required = false) String ref, @RequestParam String path, Model model) {
        Repo r = read(request, owner, repo).repo();
        String head = commitOf(r, ref);
        model.addAttribute("repo", r);
        model.addAttribute("ref", ref == null ? r.defaultBranch() : ref);
        model.addAttribute("crumbs", crumbs(path));
        model.addAttribute("blob", browser.blob(r, head, path));
        return "forge/blob";
    }

    @GetMapping("/commit/{sha}")
    String commit(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                  @PathVariable String sha, Model model) {
        Repo r = read(request, owner, repo).repo();
        if (!sha.matches("[0-9a-f]{40}")) {
            throw ApiException.badRequest("invalid_sha", "A commit is named by its full 40-character hex SHA-1.");
        }
        model.addAttribute("repo", r);
        model.addAttribute("commit", browser.commit(r, sha));
        model.addAttribute("files", browser.diff(r, sha));
        model.addAttribute("combined", statuses.combined(r, sha));
        return "forge/commit";
    }

    private RepoService.Access read(HttpServletRequest request, String owner, String repo) {
        return repos.require(Callers.current(request), owner, repo, Permission.READ);
    }

    private String commitOf(Repo r, String ref) {
        return browser.resolve(r, ref).orElseThrow(() ->
                ApiException.notFound("No commit named '" + (ref == null ? r.defaultBranch() : ref) + "'."));
    }

    static List<Crumb> crumbs(String path) {
        List<Crumb> crumbs = new ArrayList<>();
        StringBuilder so = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!so.isEmpty()) {
                so.append('/');
            }
            so.append(part);
            crumbs.add(new Crumb(part, so.toString()));
        }
        return crumbs;
    }
}
