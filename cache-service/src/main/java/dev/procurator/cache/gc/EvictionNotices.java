package dev.procurator.cache.gc;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.procurator.cache.path.PathService;

/**
 * Makes this instance forget what an eviction on any instance removed: the evictor writes a notice per path and NAR
 * file in the transaction that deletes them, and every instance reads the new notices each second. Without it, an
 * instance would go on serving a narinfo from memory whose NAR another instance deleted, or tell an uploader that a
 * NAR file is stored when it is gone.
 */
@Component
class EvictionNotices {

    private static final Logger log = LoggerFactory.getLogger(EvictionNotices.class);
    /** Notices read per poll at most; the rest come with the next ones. */
    private static final int PAGE = 10_000;

    private final JdbcClient jdbc;
    private final PathService paths;
    /** The last notice applied. Evictions run one at a time, so notices commit in the order of their ids. */
    private long last;

    EvictionNotices(JdbcClient jdbc, PathService paths) {
        this.jdbc = jdbc;
        this.paths = paths;
        // Memory is empty before the first request: only what is evicted from now on matters.
        this.last = jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM eviction_notice").query(Long.class).single();
    }

    /** Every second: forgets what was evicted since the last time. */
    @Scheduled(fixedDelay = 1, initialDelay = 1, timeUnit = TimeUnit.SECONDS)
    void apply() {
        record Notice(long id, long cacheId, String storeHash, String fileName) {
        }
        try {
            var notices = jdbc.sql("SELECT id, cache_id, store_hash, file_name FROM eviction_notice WHERE id > ?"
                            + " ORDER BY id LIMIT " + PAGE).param(last)
                    .query((rs, i) -> new Notice(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
                    .list();
            for (Notice notice : notices) {
                paths.forget(notice.cacheId(), notice.storeHash(), notice.fileName());
                last = notice.id();
            }
        } catch (RuntimeException e) {
            log.warn("Reading eviction notices failed, will retry: {}", e.getMessage());
        }
    }
}
