package dev.procurator.cache.path;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.procurator.cache.config.CacheSettings;

/**
 * Last-access times for LRU eviction, gathered in memory and written in batches: a read costs a set insertion, not
 * a database write, and a busy path is written once per flush however often it is read.
 */
@Component
public class AccessRecorder {

    private static final Logger log = LoggerFactory.getLogger(AccessRecorder.class);
    private static final int BATCH = 500;

    private final JdbcClient jdbc;
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;

    public AccessRecorder(JdbcClient jdbc, CacheSettings settings) {
        this.jdbc = jdbc;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("access-flush")
                .factory());
        long every = settings.accessFlushInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
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

    /** A last flush, bounded in time: a database already gone must not hold up shutdown. */
    @PreDestroy
    void stop() throws InterruptedException {
        scheduler.submit(this::flushQuietly);
        scheduler.shutdown();
        if (!scheduler.awaitTermination(3, TimeUnit.SECONDS)) {
            scheduler.shutdownNow();
        }
    }
}
