package dev.procurator.forge.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.procurator.common.error.ApiException;
import dev.procurator.forge.repo.Repo;

/** Webhook subscriptions, their delivery log, and manual redelivery. */
@Service
public class WebhookService {

    public static final List<String> EVENTS = List.of("push");

    private static final Logger log = LoggerFactory.getLogger(WebhookService.class);

    private final WebhookStore hooks;
    private final DeliveryStore deliveries;
    private final AttemptStore attempts;
    private final PushEventStore events;
    private final WebhookDeliverer deliverer;

    WebhookService(WebhookStore hooks, DeliveryStore deliveries, AttemptStore attempts, PushEventStore events,
                   WebhookDeliverer deliverer) {
        this.hooks = hooks;
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.events = events;
        this.deliverer = deliverer;
    }

    @Transactional
    public Webhook create(Repo repo, String url, String secret, List<String> events, Boolean active) {
        requireHttpUrl(url);
        if (secret != null && secret.length() > 255) {
            throw ApiException.badRequest("invalid_secret", "A webhook secret has at most 255 characters.");
        }
        List<String> subscribed = events == null || events.isEmpty() ? EVENTS : List.copyOf(events);
        for (String event : subscribed) {
            if (!EVENTS.contains(event)) {
                throw ApiException.badRequest("invalid_event", "Unknown event '" + event + "'; events: " + EVENTS + ".");
            }
        }
        Webhook hook = hooks.save(new Webhook(repo.id(), url, secret == null ? "" : secret, subscribed,
                !Boolean.FALSE.equals(active)));
        log.info("webhook created repo={} hook={} url={} events={}", repo.fullName(), hook.id(), url, subscribed);
        return hook;
    }

    static void requireHttpUrl(String url) {
        String problem = null;
        if (url == null || url.isBlank() || url.length() > 2000) {
            problem = "is missing or longer than 2000 characters";
        } else {
            try {
                URI uri = new URI(url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    problem = "must be http:// or https://";
                } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
                    problem = "has no host";
                }
            } catch (URISyntaxException e) {
                problem = "is not a valid URL (" + e.getReason() + ")";
            }
        }
        if (problem != null) {
            throw ApiException.badRequest("invalid_webhook_url", "The webhook URL " + problem + ".");
        }
    }

    public List<Webhook> of(Repo repo) {
        return hooks.findByRepoIdOrderById(repo.id());
    }

    public Webhook get(Repo repo, long id) {
        return hooks.findByIdAndRepoId(id, repo.id()).orElseThrow(() ->
                ApiException.notFound(repo.fullName() + " has no webhook " + id + "."));
    }

    @Transactional
    public void delete(Repo repo, long id) {
        hooks.delete(get(repo, id));
        log.info("webhook deleted repo={} hook={}", repo.fullName(), id);
    }

    public List<WebhookDelivery> deliveries(Webhook hook, int limit) {
        return deliveries.findByWebhookIdOrderByIdDesc(hook.id(), PageRequest.of(0, Math.max(1, Math.min(limit, 500))));
    }

    public WebhookDelivery delivery(Webhook hook, String guid) {
        return deliveries.findByGuidAndWebhookId(guid, hook.id()).orElseThrow(() ->
                ApiException.notFound("Webhook " + hook.id() + " has no delivery " + guid + "."));
    }

    public List<DeliveryAttempt> attempts(WebhookDelivery delivery) {
        return attempts.findByDeliveryIdOrderByAttempt(delivery.id());
    }

    public String deliveryGuid(Long id) {
        return deliveries.findById(id).map(WebhookDelivery::guid).orElse(null);
    }

    public Optional<PushEvent> event(WebhookDelivery delivery) {
        return events.findById(delivery.pushEventId());
    }

    /** Queues the same event again for the same subscription, as a new delivery with its own id and log. */
    @Transactional
    public WebhookDelivery redeliver(Repo repo, Webhook hook, WebhookDelivery original) {
        WebhookDelivery copy = deliveries.save(new WebhookDelivery(hook.id(), original.pushEventId(),
                original.event(), original.id()));
        log.info("webhook redelivery repo={} hook={} delivery={} of={}", repo.fullName(), hook.id(), copy.guid(),
                original.guid());
        deliverer.wake();
        return copy;
    }
}
