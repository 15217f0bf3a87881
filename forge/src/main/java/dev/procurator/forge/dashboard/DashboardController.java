package dev.procurator.forge.dashboard;

import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.procurator.common.auth.Callers;
import dev.procurator.forge.repo.Repo;
import dev.procurator.forge.repo.RepoService;
import dev.procurator.forge.webhook.DeliveryStore;
import dev.procurator.forge.webhook.PushEvent;
import dev.procurator.forge.webhook.PushEventStore;
import dev.procurator.forge.webhook.WebhookDelivery;

/** The Forge dashboard at {@code /}: the repositories the visitor can see, recent pushes to them, the outbox. */
@Controller
class DashboardController {

    record Push(String repo, String ref, String before, String after, String pusher, Instant at) {
    }

    private final RepoService repos;
    private final PushEventStore events;
    private final DeliveryStore deliveries;

    DashboardController(RepoService repos, PushEventStore events, DeliveryStore deliveries) {
        this.repos = repos;
        this.events = events;
        this.deliveries = deliveries;
    }

    @GetMapping("/")
    String dashboard(HttpServletRequest request, Model model) {
        var caller = Callers.current(request);
        List<Repo> visible = repos.visibleTo(caller);
        var names = visible.stream().collect(java.util.stream.Collectors.toMap(Repo::id, Repo::fullName));
        List<Push> pushes = events.findAll(PageRequest.of(0, 100, Sort.by(Sort.Direction.DESC, "id"))).stream()
                .filter(e -> names.containsKey(e.repoId()))
                .limit(15)
                .map(e -> push(e, names.get(e.repoId())))
                .toList();
        model.addAttribute("caller", caller.orElse(null));
        model.addAttribute("repos", visible);
        model.addAttribute("pushes", pushes);
        model.addAttribute("pendingDeliveries", deliveries.countByState(WebhookDelivery.PENDING));
        return "dashboard";
    }

    private static Push push(PushEvent e, String repo) {
        return new Push(repo, e.ref(), e.oldSha(), e.newSha(), e.pusher(), e.createdAt());
    }
}
