package dev.procurator.forge.webhook;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

import dev.procurator.common.config.ProcuratorProperties;
import dev.procurator.forge.repo.Repo;

/**
 * After the refs moved: records each accepted update and, in the same transaction, one delivery per matching
 * webhook (the outbox), then wakes the deliverer. Runs before the push's HTTP response ends, so a client that saw
 * its push succeed finds the event recorded.
 */
@Component
public class PushRecorder {

    private static final Logger log = LoggerFactory.getLogger(PushRecorder.class);

    private final PushEventStore events;
    private final WebhookStore hooks;
    private final DeliveryStore deliveries;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final WebhookDeliverer deliverer;
    private final ProcuratorProperties procurator;

    PushRecorder(PushEventStore events, WebhookStore hooks, DeliveryStore deliveries, TransactionTemplate tx,
                 JsonMapper json, WebhookDeliverer deliverer, ProcuratorProperties procurator) {
        this.events = events;
        this.hooks = hooks;
        this.deliveries = deliveries;
        this.tx = tx;
        this.json = json;
        this.deliverer = deliverer;
        this.procurator = procurator;
    }

    public void record(Repo repo, String pusher, ReceivePack pack, Collection<ReceiveCommand> accepted) {
        if (accepted.isEmpty()) {
            return;
        }
        try {
            Instant now = Instant.now();
            String baseUrl = procurator.forgeUrl().replaceAll("/+$", "");
            List<PushPayload> payloads = new ArrayList<>();
            for (ReceiveCommand cmd : accepted) {
                payloads.add(PushPayloads.build(repo, pusher, pack.getRepository(), cmd, 0, baseUrl, now));
            }
            int queued = tx.execute(status -> {
                List<Webhook> subscribed = hooks.findByRepoIdOrderById(repo.id()).stream()
                        .filter(h -> h.active() && h.events().contains("push"))
                        .toList();
                int count = 0;
                for (PushPayload p : payloads) {
                    PushEvent event = events.save(new PushEvent(repo.id(), p.ref(), p.before(), p.after(), pusher,
                            "", now));
                    event = events.save(withPayload(event, p));
                    for (Webhook hook : subscribed) {
                        deliveries.save(new WebhookDelivery(hook.id(), event.id(), "push", null));
                        count++;
                    }
                    log.info("push recorded repo={} ref={} old={} new={} pusher={} event={}", repo.fullName(),
                            p.ref(), p.before(), p.after(), pusher, event.id());
                }
                return count;
            });
            if (queued > 0) {
                deliverer.wake();
            }
        } catch (IOException | RuntimeException e) {
            log.error("push NOT recorded repo={} pusher={}: {}", repo.fullName(), pusher, e.toString(), e);
        }
    }

    /** The payload names the event's own id, known only once the row exists. */
    private PushEvent withPayload(PushEvent event, PushPayload p) {
        PushPayload withId = new PushPayload(p.event(), event.id(), p.ref(), p.before(), p.after(), p.created(),
                p.deleted(), p.forced(), p.repository(), p.pusher(), p.commits(), p.headCommit(), p.pushedAt());
        event.setPayload(json.writeValueAsString(withId));
        return event;
    }
}
