package dev.procurator.forge.webhook;

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
import dev.procurator.forge.repo.FormPosts;
import dev.procurator.forge.repo.Permission;
import dev.procurator.forge.repo.Repo;
import dev.procurator.forge.repo.RepoPaths;
import dev.procurator.forge.repo.RepoService;

/** A repository's webhook settings pages: its webhooks, their delivery log with attempts, redelivery. */
@Controller
@RequestMapping(RepoPaths.PAGES + "/settings/hooks")
class HookPages {

    private final RepoService repos;
    private final WebhookService webhooks;

    HookPages(RepoService repos, WebhookService webhooks) {
        this.repos = repos;
        this.webhooks = webhooks;
    }

    @GetMapping
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

    @GetMapping("/{id}/deliveries/{guid}")
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

    @PostMapping
    String addHook(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                   @RequestParam String url, @RequestParam(defaultValue = "") String secret,
                   RedirectAttributes flash) {
        Repo r = admin(request, owner, repo);
        FormPosts.requireSameOrigin(request);
        FormPosts.attempt(flash, "Webhook added.", () -> webhooks.create(r, url, secret, List.of("push"), true));
        return "redirect:/" + r.fullName() + "/settings/hooks";
    }

    @PostMapping("/{id}/delete")
    String deleteHook(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                      @PathVariable long id, RedirectAttributes flash) {
        Repo r = admin(request, owner, repo);
        FormPosts.requireSameOrigin(request);
        FormPosts.attempt(flash, "Webhook deleted.", () -> webhooks.delete(r, id));
        return "redirect:/" + r.fullName() + "/settings/hooks";
    }

    @PostMapping("/{id}/deliveries/{guid}/redeliver")
    String redeliver(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                     @PathVariable long id, @PathVariable String guid, RedirectAttributes flash) {
        Repo r = admin(request, owner, repo);
        FormPosts.requireSameOrigin(request);
        FormPosts.attempt(flash, "Redelivery queued.", () -> {
            Webhook hook = webhooks.get(r, id);
            webhooks.redeliver(r, hook, webhooks.delivery(hook, guid));
        });
        return "redirect:/" + r.fullName() + "/settings/hooks";
    }

    private Repo admin(HttpServletRequest request, String owner, String repo) {
        return repos.require(Callers.current(request), owner, repo, Permission.ADMIN).repo();
    }
}
