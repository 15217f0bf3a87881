package dev.procurator.forge.ui;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import dev.procurator.common.error.ApiException;
import dev.procurator.forge.protection.ProtectionService;
import dev.procurator.forge.repo.Permission;
import dev.procurator.forge.repo.Repo;
import dev.procurator.forge.repo.RepoService;
import dev.procurator.forge.webhook.Webhook;
import dev.procurator.forge.webhook.WebhookDelivery;
import dev.procurator.forge.webhook.WebhookService;

/** Admin pages of a repository: webhooks with their delivery log and redelivery, protected branches. */
@Controller
@RequestMapping(UiPaths.REPO + "/settings")
class SettingsPages {

    private final RepoService repos;
    private final WebhookService webhooks;
    private final ProtectionService protections;

    SettingsPages(RepoService repos, WebhookService webhooks, ProtectionService protections) {
        this.repos = repos;
        this.webhooks = webhooks;
        this.protections = protections;
    }

    @GetMapping("/hooks")
    String hooks(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo, Model model) {
        Repo r = admin(request, owner, repo);
        Map<Webhook, List<WebhookDelivery>> log = new LinkedHashMap<>();
        for (Webhook hook : webhooks.of(r)) {
            log.put(hook, webhooks.deliveries(hook, 25));
        }
        model.addAttribute("repo", r);
        model.addAttribute("hooks", log);
        return "forge/hooks";
    }

    @GetMapping("/hooks/{id}/deliveries/{guid}")
    String delivery(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                    @PathVariable long id, @PathVariable String guid, Model model) {
        Repo r = admin(request, owner, repo);
        Webhook hook = webhooks.get(r, id);
        WebhookDelivery delivery = webhooks.delivery(hook, guid);
        model.addAttribute("repo", r);
        model.addAttribute("hook", hook);
        model.addAttribute("delivery", delivery);
        model.addAttribute("attempts", webhooks.attempts(delivery));
        model.addAttribute("event", webhooks.event(delivery).orElse(null));
        return "forge/delivery";
    }

    @PostMapping("/hooks")
    String addHook(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                   @RequestParam String url, @RequestParam(defaultValue = "") String secret,
                   RedirectAttributes flash) {
        Repo r = admin(request, owner, repo);
        SameOrigin.require(request);
        attempt(flash, "Webhook added.", () -> webhooks.create(r, url, secret, List.of("push"), true));
        return "redirect:/" + r.fullName() + "/settings/hooks";
    }

    @PostMapping("/hooks/{id}/delete")
    String deleteHook(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                      @PathVariable long id, RedirectAttributes flash) {
        Repo r = admin(request, owner, repo);
        SameOrigin.require(request);
        attempt(flash, "Webhook deleted.", () -> webhooks.delete(r, id));
        return "redirect:/" + r.fullName() + "/settings/hooks";
    }

    @PostMapping("/hooks/{id}/deliveries/{guid}/redeliver")
    String redeliver(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                     @PathVariable long id, @PathVariable String guid, RedirectAttributes flash) {
        Repo r = admin(request, owner, repo);
        SameOrigin.require(request);
        attempt(flash, "Redelivery queued.", () -> {
            Webhook hook = webhooks.get(r, id);
            webhooks.redeliver(r, hook, webhooks.delivery(hook, guid));
        });
        return "redirect:/" + r.fullName() + "/settings/hooks";
    }

    @GetMapping("/protection")
    String protection(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                      Model model) {
        Repo r = admin(request, owner, repo);
        model.addAttribute("repo", r);
        model.addAttribute("rules", protections.of(r));
        return "forge/protection";
    }

    @PostMapping("/protection")
    String protect(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                   @RequestParam String branch, @RequestParam(defaultValue = "false") boolean forbidForcePush,
                   @RequestParam(defaultValue = "false") boolean forbidDeletion,
                   @RequestParam(defaultValue = "") String pushers, RedirectAttributes flash) {
        Repo r = admin(request, owner, repo);
        SameOrigin.require(request);
        List<String> names = Arrays.stream(pushers.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
        attempt(flash, "Branch " + branch + " protected.",
                () -> protections.protect(r, branch.strip(), forbidForcePush, forbidDeletion, names));
        return "redirect:/" + r.fullName() + "/settings/protection";
    }

    @PostMapping("/protection/delete")
    String unprotect(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                     @RequestParam String branch, RedirectAttributes flash) {
        Repo r = admin(request, owner, repo);
        SameOrigin.require(request);
        attempt(flash, "Protection of " + branch + " removed.", () -> protections.unprotect(r, branch));
        return "redirect:/" + r.fullName() + "/settings/protection";
    }

    private Repo admin(HttpServletRequest request, String owner, String repo) {
        return repos.require(Callers.current(request), owner, repo, Permission.ADMIN).repo();
    }

    /** Runs a form action; its validation error is shown on the page it redirects to. */
    private static void attempt(RedirectAttributes flash, String done, Runnable action) {
        try {
            action.run();
            flash.addFlashAttribute("notice", done);
        } catch (ApiException e) {
            flash.addFlashAttribute("problem", e.getMessage());
        }
    }
}
