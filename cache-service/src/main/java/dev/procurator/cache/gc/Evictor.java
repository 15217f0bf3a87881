package dev.procurator.cache.gc;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.cache.binarycache.CacheRegistry;
import dev.procurator.cache.config.CacheSettings;
import dev.procurator.cache.metrics.CacheMetrics;
import dev.procurator.cache.path.AccessRecorder;
import dev.procurator.cache.path.CacheLocks;
import dev.procurator.cache.path.PathStore;
import dev.procurator.cache.storage.BlobStore;

/**
 * Keeps each cache under its size limit: collects NAR files whose narinfo never came (after a grace period), then
 * evicts paths as {@link EvictionPlanner} decides. Rows go in one transaction, files after it commits, so a
 * crash in between leaves unreferenced files, never a narinfo without its NAR.
 */
@Service
public class Evictor {

    public record Result(String cache, int evictedPaths, int collectedFiles, long freedBytes, long usageBytes) {
    }

    private static final Logger log = LoggerFactory.getLogger(Evictor.class);

    private final CacheRegistry caches;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final CacheLocks locks;
    private final AccessRecorder accesses;
    private final PathStore store;
    private final BlobStore blobs;
    private final CacheMetrics metrics;
    private final CacheSettings settings;
    private final ScheduledExecutorService scheduler;

    public Evictor(CacheRegistry caches, JdbcClient jdbc, TransactionTemplate transactions, CacheLocks locks,
                   AccessRecorder accesses, PathStore store, BlobStore blobs, CacheMetrics metrics,
                   CacheSettings settings) {
        this.caches = caches;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.locks = locks;
        this.accesses = accesses;
        this.store = store;
        this.blobs = blobs;
        this.metrics = metrics;
        this.settings = settings;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("evictor")
                .factory());
        long every = settings.evictionInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::collectAllQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    public long usage(long cacheId) {
        return jdbc.sql("SELECT COALESCE(SUM(file_size), 0) FROM nar_file WHERE cache_id = ?")
                .param(cacheId).query(Long.class).single();
    }

    /** Collects orphans and, if the cache has a limit and is over it, evicts down to the limit. */
    public Result collect(CacheRef cache) {
        accesses.flush();
        Lock lock = locks.of(cache.id()).writeLock();
        lock.lock();
        try {
            long before = usage(cache.id());
            List<String> orphanFiles = collectOrphans(cache);
            orphanFiles.forEach(file -> deleteBlob(cache, file));
            long usage = usage(cache.id());
            int evicted = 0;
            if (cache.maxSizeBytes() > 0 && usage > cache.maxSizeBytes()) {
                List<EvictionPlanner.Node> victims = EvictionPlanner.plan(loadGraph(cache.id()), pinnedHashes(cache.id()),
                        usage, cache.maxSizeBytes());
                List<Evicted> gone = transactions.execute(tx -> deletePaths(cache, victims));
                for (Evicted e : gone) {
                    store.forget(cache.id(), e.hash(), e.fileName());
                    if (e.fileName() != null) {
                        deleteBlob(cache, e.fileName());
                    }
                }
                evicted = gone.size();
                usage = usage(cache.id());
                metrics.evicted(cache.name(), evicted);
            }
            if (evicted > 0 || !orphanFiles.isEmpty()) {
                log.info("GC cache={} evictedPaths={} orphanFiles={} usageBytes={} limitBytes={}", cache.name(),
                        evicted, orphanFiles.size(), usage, cache.maxSizeBytes());
            }
            return new Result(cache.name(), evicted, orphanFiles.size(), before - usage, usage);
        } finally {
            lock.unlock();
        }
    }

    private record Evicted(String hash, String fileName) {
    }

    private List<Evicted> deletePaths(CacheRef cache, List<EvictionPlanner.Node> victims) {
        List<Evicted> gone = new ArrayList<>();
        for (EvictionPlanner.Node victim : victims) {
            var row = jdbc.sql("SELECT n.nar_file_id, f.file_name FROM narinfo n JOIN nar_file f ON f.id = n.nar_file_id"
                            + " WHERE n.id = ?").param(victim.id())
                    .query((rs, i) -> Map.entry(rs.getLong(1), rs.getString(2))).optional();
            if (row.isEmpty()) {
                continue;
            }
            jdbc.sql("DELETE FROM narinfo WHERE id = ?").param(victim.id()).update();
            long narFileId = row.get().getKey();
            int stillUsed = jdbc.sql("SELECT COUNT(*) FROM narinfo WHERE nar_file_id = ?").param(narFileId)
                    .query(Integer.class).single();
            String fileName = null;
            if (stillUsed == 0) {
                jdbc.sql("DELETE FROM nar_file WHERE id = ?").param(narFileId).update();
                fileName = row.get().getValue();
            }
            gone.add(new Evicted(victim.hash(), fileName));
        }
        return gone;
    }

    private List<String> collectOrphans(CacheRef cache) {
        Timestamp before = Timestamp.from(Instant.now().minus(settings.orphanGrace()));
        return transactions.execute(tx -> {
            List<Map.Entry<Long, String>> orphans = jdbc.sql("SELECT f.id, f.file_name FROM nar_file f WHERE f.cache_id = ?"
                            + " AND f.created_at < ? AND NOT EXISTS (SELECT 1 FROM narinfo n WHERE n.nar_file_id = f.id)")
                    .params(cache.id(), before)
                    .query((rs, i) -> Map.entry(rs.getLong(1), rs.getString(2))).list();
            List<String> names = new ArrayList<>();
            for (var orphan : orphans) {
                jdbc.sql("DELETE FROM nar_file WHERE id = ?").param(orphan.getKey()).update();
                store.forget(cache.id(), "", orphan.getValue());
                names.add(orphan.getValue());
            }
            return names;
        });
    }

    private List<EvictionPlanner.Node> loadGraph(long cacheId) {
        Map<Long, List<String>> refs = new HashMap<>();
        jdbc.sql("SELECT r.narinfo_id, r.ref_hash FROM narinfo_reference r JOIN narinfo n ON n.id = r.narinfo_id"
                        + " WHERE n.cache_id = ?").param(cacheId)
                .query(rs -> {
                    refs.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                });
        return jdbc.sql("SELECT n.id, n.store_hash, n.last_access, n.file_size FROM narinfo n WHERE n.cache_id = ?")
                .param(cacheId)
                .query((rs, i) -> new EvictionPlanner.Node(rs.getLong(1), rs.getString(2),
                        rs.getTimestamp(3).toInstant(), rs.getLong(4), refs.getOrDefault(rs.getLong(1), List.of())))
                .list();
    }

    public Set<String> pinnedHashes(long cacheId) {
        return new HashSet<>(jdbc.sql("SELECT store_hash FROM gc_pin WHERE cache_id = ?").param(cacheId)
                .query(String.class).list());
    }

    private void deleteBlob(CacheRef cache, String fileName) {
        try {
            blobs.delete(PathStore.blobKey(cache.name(), fileName));
        } catch (IOException | RuntimeException e) {
            log.warn("Could not delete NAR file cache={} file={}: {}", cache.name(), fileName, e.getMessage());
        }
    }

    private void collectAllQuietly() {
        for (CacheRef cache : caches.all()) {
            try {
                collect(cache);
            } catch (RuntimeException e) {
                log.warn("GC of cache {} failed, will retry: {}", cache.name(), e.getMessage());
            }
        }
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}
