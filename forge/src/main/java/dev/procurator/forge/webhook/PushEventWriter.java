package dev.procurator.forge.webhook;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

import dev.procurator.common.config.ProcuratorProperties;
import dev.procurator.forge.repo.Repo;

/**
 * Records a ref's new value as a push event, with one delivery per active push webhook (the outbox), exactly once
 * across forge instances: the event's transaction also advances the ref's {@link RecordedRef} row from the value
 * last recorded, and a recorder that finds the row moved under it rolls back and looks again. The event's
 * {@code before} is the value last recorded: an update whose recording failed and was not yet reconciled is folded
 * into the next event of that ref rather than lost. An update the ref has already moved on from is not recorded: the
 * later value gets its own event (so a slow recorder never records a ref going back).
 */
@Component
public class PushEventWriter {

    private static final Logger log = LoggerFactory.getLogger(PushEventWriter.class);
    private static final int ATTEMPTS = 3;

    private final PushEventStore events;
    private final RecordedRefStore recorded;
    private final WebhookStore hooks;
    private final DeliveryStore deliveries;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final WebhookDeliverer deliverer;
    private final ProcuratorProperties procurator;

    PushEventWriter(PushEventStore events, RecordedRefStore recorded, WebhookStore hooks, DeliveryStore deliveries,
                    TransactionTemplate tx, JsonMapper json, WebhookDeliverer deliverer,
                    ProcuratorProperties procurator) {
        this.events = events;
        this.recorded = recorded;
        this.hooks = hooks;
        this.deliveries = deliveries;
        this.tx = tx;
        this.json = json;
        this.deliverer = deliverer;
        this.procurator = procurator;
    }

    /**
     * Records that {@code ref} of {@code repo} now points at {@code after} (zero: deleted).
     *
     * @return the event, or empty when the ref is already recorded at that value (by this or another instance) or
     *         has moved on from it
     */
    public Optional<PushEvent> record(Repo repo, Repository git, String ref, ObjectId after, String pusher)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            ObjectId before = recorded.findByRepoIdAndRefName(repo.id(), ref)
                    .map(r -> ObjectId.fromString(r.sha())).orElse(ObjectId.zeroId());
            if (before.equals(after) || !current(git, ref).equals(after)) {
                return Optional.empty();
            }
            Instant now = Instant.now();
            ReceiveCommand update = new ReceiveCommand(before, after, ref, type(git, before, after));
            PushPayload payload = PushPayloads.build(repo, pusher, git, update, 0,
                    procurator.forgeUrl().replaceAll("/+$", ""), now);
            try {
                Written written = tx.execute(status -> write(repo, payload, pusher, now));
                log.info("push recorded repo={} ref={} old={} new={} pusher={} event={} deliveries={}",
                        repo.fullName(), ref, before.name(), after.name(), pusher, written.event().id(),
                        written.deliveries());
                if (written.deliveries() > 0) {
                    deliverer.wake();
                }
                return Optional.of(written.event());
            } catch (LostRace | DataIntegrityViolationException | TransientDataAccessException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                log.debug("ref recorded concurrently repo={} ref={}, looking again", repo.fullName(), ref);
            }
        }
    }

    private record Written(PushEvent event, int deliveries) {
    }

    private Written write(Repo repo, PushPayload p, String pusher, Instant now) {
        PushEvent event = events.save(new PushEvent(repo.id(), p.ref(), p.before(), p.after(), pusher, "", now));
        event.setPayload(json.writeValueAsString(p.withPushId(event.id())));
        Optional<RecordedRef> row = recorded.findByRepoIdAndRefName(repo.id(), p.ref());
        if (row.isEmpty()) {
            // A second recorder inserting the same ref fails on the unique key: its transaction rolls back.
            recorded.saveAndFlush(new RecordedRef(repo.id(), p.ref(), p.after(), event.id(), now));
        } else if (recorded.advance(repo.id(), p.ref(), p.before(), p.after(), event.id(), now) == 0) {
            throw new LostRace();
        }
        List<Webhook> subscribed = hooks.findByRepoIdOrderById(repo.id()).stream()
                .filter(h -> h.active() && h.events().contains("push"))
                .toList();
        for (Webhook hook : subscribed) {
            deliveries.save(new WebhookDelivery(hook.id(), event.id(), "push", null));
        }
        return new Written(event, subscribed.size());
    }

    private static ObjectId current(Repository git, String ref) throws IOException {
        Ref value = git.exactRef(ref);
        return value == null || value.getObjectId() == null ? ObjectId.zeroId() : value.getObjectId();
    }

    /** Whether the update created, deleted, fast-forwarded or rewrote the ref (the payload's created/deleted/forced). */
    private static ReceiveCommand.Type type(Repository git, ObjectId before, ObjectId after) throws IOException {
        if (before.equals(ObjectId.zeroId())) {
            return ReceiveCommand.Type.CREATE;
        }
        if (after.equals(ObjectId.zeroId())) {
            return ReceiveCommand.Type.DELETE;
        }
        try (RevWalk walk = new RevWalk(git)) {
            RevObject old = walk.parseAny(before);
            RevObject now = walk.parseAny(after);
            return old instanceof RevCommit o && now instanceof RevCommit n && !walk.isMergedInto(o, n)
                    ? ReceiveCommand.Type.UPDATE_NONFASTFORWARD : ReceiveCommand.Type.UPDATE;
        } catch (MissingObjectException e) {
            // The old value is gone (rewritten and collected): not a fast-forward.
            return ReceiveCommand.Type.UPDATE_NONFASTFORWARD;
        }
    }

    /** Another recorder advanced the ref first; this transaction rolls back. */
    private static final class LostRace extends RuntimeException {
        LostRace() {
            super("ref recorded concurrently", null, false, false);
        }
    }
}
