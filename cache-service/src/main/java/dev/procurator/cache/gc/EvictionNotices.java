package dev.procurator.cache.gc;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import dev.procurator.cache.path.PathService;

/**
 * Makes this instance forget what an eviction on any instance removed: the evictor writes a notice per path and NAR
 * file in the transaction that deletes them, and every instance reads the new notices each second. Without it, an
 * instance would go on serving a narinfo from memory whose NAR another instance deleted, or tell an uploader that a
 * NAR file is stored when it is gone.
 */
@Component
class EvictionNotices implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EvictionNotices.class);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    /** Notices read per poll at most; the rest come with the next ones. */
    private static final int PAGE = 10_000;

    private final JdbcClient jdbc;
    private final PathService paths;
    private final TaskScheduler scheduler;
    /** The last notice applied. Evictions run one at a time, so notices commit in the order of their ids. */
    private long last;
    private volatile ScheduledFuture<?> polling;

    EvictionNotices(JdbcClient jdbc, PathService paths, TaskScheduler scheduler) {
        this.jdbc = jdbc;
        this.paths = paths;
        this.scheduler = scheduler;
        // Memory is empty before the first request: only what is evicted from now on matters.
        this.last = jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM eviction_notice").query(Long.class).single();
    }

    /** Applies the notices written since the last call; returns how many. */
    synchronized int apply() {
        record Notice(long id, long cacheId, String storeHash, String fileName) {
        }
        var notices = jdbc.sql("SELECT id, cache_id, store_hash, file_name FROM eviction_notice WHERE id > ?"
                        + " ORDER BY id LIMIT " + PAGE).param(last)
                .query((rs, i) -> new Notice(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4))).list();
        for (Notice notice : notices) {
            paths.forget(notice.cacheId(), notice.storeHash(), notice.fileName());
            last = notice.id();
        }
        return notices.size();
    }

    private void applyQuietly() {
        try {
            apply();
        } catch (RuntimeException e) {
            log.warn("Reading eviction notices failed, will retry: {}", e.getMessage());
        }
    }

    @Override
    public void start() {
        polling = scheduler.scheduleWithFixedDelay(this::applyQuietly, Instant.now().plus(POLL_INTERVAL),
                POLL_INTERVAL);
    }

    @Override
    public void stop() {
        polling.cancel(false);
        polling = null;
    }

    @Override
    public boolean isRunning() {
        return polling != null;
    }
}
