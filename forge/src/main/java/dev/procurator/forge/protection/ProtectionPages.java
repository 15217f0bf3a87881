package dev.procurator.forge.protection;

import java.util.Arrays;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.procurator.common.auth.Callers;
import dev.procurator.forge.repo.FormPosts;
import dev.procurator.forge.repo.Permission;
import dev.procurator.forge.repo.Repo;
import dev.procurator.forge.repo.RepoPaths;
import dev.procurator.forge.repo.RepoService;

/** A repository's protected-branch settings page. */
@Controller
@RequestMapping(RepoPaths.PAGES + "/settings/protection")
class ProtectionPages {

    private final RepoService repos;
    private final ProtectionService protections;

    ProtectionPages(RepoService repos, ProtectionService protections) {
        this.repos = repos;
        this.protections = protections;
    }

    @GetMapping
    String protection(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                      Model model) {
        Repo r = admin(request, owner, repo);
        model.addAttribute("repo", r);
        model.addAttribute("rules", protections.of(r));
        return "forge/protection";
    }

    @PostMapping
    String protect(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                   @RequestParam String branch, @RequestParam(defaultValue = "false") boolean forbidForcePush,
                   @RequestParam(defaultValue = "false") boolean forbidDeletion,
                   @RequestParam(defaultValue = "") String pushers, RedirectAttributes flash) {
        Repo r = admin(request, owner, repo);
        FormPosts.requireSameOrigin(request);
        List<String> names = Arrays.stream(pushers.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
        FormPosts.attempt(flash, "Branch " + branch + " protected.",
                () -> protections.protect(r, branch.strip(), forbidForcePush, forbidDeletion, names));
        return "redirect:/" + r.fullName() + "/settings/protection";
    }

    @PostMapping("/delete")
    String unprotect(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                     @RequestParam String branch, RedirectAttributes flash) {
        Repo r = admin(request, owner, repo);
        FormPosts.requireSameOrigin(request);
        FormPosts.attempt(flash, "Protection of " + branch + " removed.", () -> protections.unprotect(r, branch));
        return "redirect:/" + r.fullName() + "/settings/protection";
    }

    private Repo admin(HttpServletRequest request, String owner, String repo) {
        return repos.require(Callers.current(request), owner, repo, Permission.ADMIN).repo();
    }
}
