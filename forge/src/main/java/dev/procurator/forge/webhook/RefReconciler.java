package dev.procurator.forge.webhook;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.ReflogEntry;
import org.eclipse.jgit.lib.ReflogReader;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import dev.procurator.forge.ForgeProperties;
import dev.procurator.forge.repo.GitStorage;
import dev.procurator.forge.repo.Repo;
import dev.procurator.forge.repo.RepoStore;

/**
 * Makes every ref update produce its push event even when recording it failed (the database was down after the
 * refs moved, or the process died in between): compares each repository's refs with the values last recorded and
 * records the difference. Runs at start-up, then every {@code ref-reconcile-interval} (for another instance's
 * crash), and for one repository, with backoff, after its recording failed. {@link PushEventWriter} makes this safe
 * to run on several instances at once.
 */
@Component
public class RefReconciler {

    private static final Logger log = LoggerFactory.getLogger(RefReconciler.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofMinutes(1);
    private static final int PUSHER_LENGTH = 40;

    private final RepoStore repos;
    private final RecordedRefStore recorded;
    private final GitStorage storage;
    private final PushEventWriter writer;
    private final TaskScheduler scheduler;
    private final Duration interval;

    RefReconciler(RepoStore repos, RecordedRefStore recorded, GitStorage storage, PushEventWriter writer,
                  TaskScheduler scheduler, ForgeProperties properties) {
        this.repos = repos;
        this.recorded = recorded;
        this.storage = storage;
        this.writer = writer;
        this.scheduler = scheduler;
        this.interval = properties.refReconcileInterval();
    }

    @EventListener(ApplicationReadyEvent.class)
    void schedule() {
        scheduler.scheduleWithFixedDelay(this::reconcileAll, Instant.now(), interval);
    }

    /** After a failed recording: reconciles the repository until that succeeds, waiting longer after each failure. */
    public void retry(Repo repo) {
        retry(repo.id(), FIRST_RETRY);
    }

    private void retry(long repoId, Duration delay) {
        scheduler.schedule(() -> {
            try {
                repos.findById(repoId).ifPresent(this::reconcileQuietly);
            } catch (RuntimeException e) {
                Duration next = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay.multipliedBy(2);
                log.warn("ref reconciliation failed repo_id={}: {}; again in {}", repoId, e.toString(), next);
                retry(repoId, next);
            }
        }, Instant.now().plus(delay));
    }

    /** @return how many events were recorded across all repositories */
    public int reconcileAll() {
        int recordedEvents = 0;
        for (Repo repo : repos.findAll()) {
            try {
                recordedEvents += reconcileQuietly(repo);
            } catch (RuntimeException e) {
                log.warn("ref reconciliation failed repo={}: {}", repo.fullName(), e.toString());
            }
        }
        return recordedEvents;
    }

    private int reconcileQuietly(Repo repo) {
        try {
            return reconcile(repo);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + repo.fullName(), e);
        }
    }

    /** Records an event for every ref whose value differs from the one last recorded; returns how many. */
    public int reconcile(Repo repo) throws IOException {
        int count = 0;
        try (Repository git = storage.open(repo.owner().name(), repo.name())) {
            Map<String, ObjectId> current = new HashMap<>();
            for (Ref ref : git.getRefDatabase().getRefs()) {
                if (!ref.isSymbolic() && ref.getObjectId() != null) {
                    current.put(ref.getName(), ref.getObjectId());
                }
            }
            Map<String, String> last = new HashMap<>();
            recorded.findByRepoId(repo.id()).forEach(r -> last.put(r.refName(), r.sha()));
            TreeSet<String> names = new TreeSet<>(current.keySet());
            names.addAll(last.keySet());
            for (String name : names) {
                ObjectId now = current.getOrDefault(name, ObjectId.zeroId());
                if (!now.name().equals(last.getOrDefault(name, ObjectId.zeroId().name()))) {
                    if (writer.record(repo, git, name, now, pusher(git, name, now)).isPresent()) {
                        log.info("ref reconciled repo={} ref={} new={}", repo.fullName(), name, now.name());
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /** Who moved the ref to this value, as its reflog says (receive-pack logs the pushing user); else "unknown". */
    private static String pusher(Repository git, String ref, ObjectId value) throws IOException {
        ReflogReader reflog = git.getRefDatabase().getReflogReader(ref);
        if (reflog != null) {
            for (ReflogEntry entry : reflog.getReverseEntries(100)) {
                if (entry.getNewId().equals(value) && entry.getWho() != null) {
                    String name = entry.getWho().getName();
                    return name.length() > PUSHER_LENGTH ? name.substring(0, PUSHER_LENGTH) : name;
                }
            }
        }
        return "unknown";
    }
}
