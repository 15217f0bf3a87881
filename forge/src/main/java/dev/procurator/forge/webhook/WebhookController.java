package dev.procurator.forge.webhook;

import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.common.auth.Callers;
import dev.procurator.forge.repo.Permission;
import dev.procurator.forge.repo.Repo;
import dev.procurator.forge.repo.RepoService;

/** Webhooks of a repository and their delivery log; all need admin access (hooks carry secrets). */
@RestController
@RequestMapping("/api/v1/repos/{owner}/{name}/hooks")
class WebhookController {

    record CreateHook(String url, String secret, List<String> events, Boolean active) {
    }

    record HookView(long id, String url, List<String> events, boolean active, boolean hasSecret, Instant createdAt) {
        static HookView of(Webhook h) {
            return new HookView(h.id(), h.url(), h.events(), h.active(), h.hasSecret(), h.createdAt());
        }
    }

    record EventView(long id, String ref, String before, String after, String pusher, Instant createdAt) {
    }

    record AttemptView(int attempt, Instant startedAt, long durationMs, Integer statusCode, String error,
                       String responseBody) {
        static AttemptView of(DeliveryAttempt a) {
            return new AttemptView(a.attempt(), a.startedAt(), a.durationMs(), a.statusCode(), a.error(),
                    a.responseBody());
        }
    }

    record DeliveryView(String id, long hookId, String event, String state, int attempts, Integer lastStatus,
                        Instant createdAt, Instant nextAttemptAt, Instant finishedAt, String redeliveryOf,
                        EventView push, List<AttemptView> attemptLog, String payload) {
    }

    private final RepoService repos;
    private final WebhookService webhooks;

    WebhookController(RepoService repos, WebhookService webhooks) {
        this.repos = repos;
        this.webhooks = webhooks;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    HookView create(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                    @RequestBody CreateHook body) {
        Repo repo = admin(request, owner, name);
        return HookView.of(webhooks.create(repo, body.url(), body.secret(), body.events(), body.active()));
    }

    @GetMapping
    List<HookView> list(HttpServletRequest request, @PathVariable String owner, @PathVariable String name) {
        return webhooks.of(admin(request, owner, name)).stream().map(HookView::of).toList();
    }

    @GetMapping("/{id}")
    HookView get(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                 @PathVariable long id) {
        return HookView.of(webhooks.get(admin(request, owner, name), id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                @PathVariable long id) {
        webhooks.delete(admin(request, owner, name), id);
    }

    @GetMapping("/{id}/deliveries")
    List<DeliveryView> deliveries(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                                  @PathVariable long id, @RequestParam(defaultValue = "50") int limit) {
        Webhook hook = webhooks.get(admin(request, owner, name), id);
        return webhooks.deliveries(hook, limit).stream().map(d -> view(d, false)).toList();
    }

    @GetMapping("/{id}/deliveries/{delivery}")
    DeliveryView delivery(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                          @PathVariable long id, @PathVariable String delivery) {
        Webhook hook = webhooks.get(admin(request, owner, name), id);
        return view(webhooks.delivery(hook, delivery), true);
    }

    @PostMapping("/{id}/deliveries/{delivery}/redeliver")
    @ResponseStatus(HttpStatus.ACCEPTED)
    DeliveryView redeliver(HttpServletRequest request, @PathVariable String owner, @PathVariable String name,
                           @PathVariable long id, @PathVariable String delivery) {
        Repo repo = admin(request, owner, name);
        Webhook hook = webhooks.get(repo, id);
        return view(webhooks.redeliver(repo, hook, webhooks.delivery(hook, delivery)), false);
    }

    private Repo admin(HttpServletRequest request, String owner, String name) {
        return repos.require(Callers.current(request), owner, name, Permission.ADMIN).repo();
    }

    private DeliveryView view(WebhookDelivery d, boolean detailed) {
        PushEvent event = webhooks.event(d).orElse(null);
        EventView push = event == null ? null : new EventView(event.id(), event.ref(), event.oldSha(),
                event.newSha(), event.pusher(), event.createdAt());
        String original = d.redeliveryOf() == null ? null : webhooks.deliveryGuid(d.redeliveryOf());
        return new DeliveryView(d.guid(), d.webhookId(), d.event(), d.state(), d.attempts(), d.lastStatus(),
                d.createdAt(), WebhookDelivery.PENDING.equals(d.state()) ? d.nextAttemptAt() : null, d.finishedAt(),
                original, push, detailed ? webhooks.attempts(d).stream().map(AttemptView::of).toList() : null,
                detailed && event != null ? event.payload() : null);
    }
}
