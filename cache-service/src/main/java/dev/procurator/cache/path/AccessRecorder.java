package dev.procurator.cache.path;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import dev.procurator.cache.CacheProperties;

/**
 * Last-access times for LRU eviction, gathered in memory and written in batches on Spring's scheduler: a read costs a
 * set insertion, not a database write, and a busy path is written once per flush however often it is read. With
 * several instances each flushes its own reads; an eviction sees another instance's at most a flush interval late.
 *
 * <p>{@code narinfo} is mapped by JPA, but these are bulk updates of one column, which JPA does not say well.
 */
@Component
public class AccessRecorder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AccessRecorder.class);
    private static final int BATCH = 500;

    private final JdbcClient jdbc;
    private final TaskScheduler scheduler;
    private final Duration interval;
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();
    private volatile ScheduledFuture<?> flushing;

    public AccessRecorder(JdbcClient jdbc, TaskScheduler scheduler, CacheProperties properties) {
        this.jdbc = jdbc;
        this.scheduler = scheduler;
        this.interval = properties.accessFlushInterval();
    }

    public void accessed(long narinfoId) {
        pending.add(narinfoId);
    }

    /** Writes every pending access time now (also before eviction decides, so it sees current times). */
    public synchronized int flush() {
        if (pending.isEmpty()) {
            return 0;
        }
        List<Long> ids = new ArrayList<>(pending);
        pending.removeAll(ids);
        Instant now = Instant.now();
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<Long> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            try {
                jdbc.sql("UPDATE narinfo SET last_access = :now WHERE id IN (:ids)")
                        .param("now", java.sql.Timestamp.from(now)).param("ids", batch).update();
            } catch (RuntimeException e) {
                pending.addAll(ids.subList(from, ids.size())); // kept for the next flush
                throw e;
            }
        }
        return ids.size();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Writing last-access times failed, will retry: {}", e.getMessage());
        }
    }

    @Override
    public void start() {
        flushing = scheduler.scheduleWithFixedDelay(this::flushQuietly, Instant.now().plus(interval), interval);
    }

    /** A last flush, while the database is still there. */
    @Override
    public void stop() {
        flushing.cancel(false);
        flushing = null;
        flushQuietly();
    }

    @Override
    public boolean isRunning() {
        return flushing != null;
    }
}
