package dev.procurator.cache.gc;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.locks.DistributedLock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.procurator.cache.CacheProperties;
import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.cache.binarycache.CacheRegistry;
import dev.procurator.cache.metrics.CacheMetrics;
import dev.procurator.cache.path.AccessRecorder;
import dev.procurator.cache.path.PathQueries;
import dev.procurator.cache.path.PathService;
import dev.procurator.cache.storage.BlobStore;
import dev.procurator.common.error.ApiException;

/**
 * Keeps each cache under its size limit: collects NAR files whose narinfo never came (after a grace period), then
 * evicts paths as {@link EvictionPlanner} decides, periodically on Spring's scheduler or when asked.
 *
 * <p>Several instances may share the database: an eviction runs on one of them at a time, under a lock of Spring
 * Integration's {@link JdbcLockRegistry}, and uploads go on meanwhile on every instance. The plan is applied in small
 * transactions that lock their victims' rows first and then look again: a path that a narinfo accepted since the plan
 * references, or a path pinned since, stays (the database's foreign key on reference edges refuses to delete it
 * anyway). A NAR file no path uses any more is marked in that transaction, and afterwards deleted with its row under
 * the row's lock: an upload of the same file meanwhile claims its row first and so either waits for the deletion or
 * is told the file is being evicted, and never loses its file to it. A crash in between leaves marked rows, which
 * the next run finishes; never a narinfo without its NAR. Every instance forgets what went within a second
 * ({@link EvictionNotices}).
 *
 * <p>The tables are written with plain JDBC: row locks ({@code FOR UPDATE}) and bulk deletes are what JPA does not
 * say well.
 */
@Service
public class Evictor implements SmartLifecycle {

    public record Result(String cache, int evictedPaths, int collectedFiles, long freedBytes, long usageBytes) {
    }

    private static final Logger log = LoggerFactory.getLogger(Evictor.class);
    /** One lock for every cache, so that the eviction notices of all caches are written by one instance at a time. */
    static final String LOCK_KEY = "cache-eviction";
    /** The lease of a running eviction; renewed after each batch, so it outlives only an instance that died. */
    private static final Duration LEASE = Duration.ofMinutes(2);
    /** How long a gc request waits for an eviction running on another instance (or on the scheduler) to end. */
    private static final Duration API_WAIT = Duration.ofSeconds(30);
    /** Victims per transaction: few row locks held for a short time, few statements per victim. */
    static final int BATCH = 500;
    /** Eviction notices are read by every instance within a second; kept a while for instances that paused. */
    private static final Duration NOTICE_RETENTION = Duration.ofHours(1);

    private final CacheRegistry caches;
    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionTemplate transactions;
    private final JdbcLockRegistry locks;
    private final AccessRecorder accesses;
    private final PathService paths;
    private final PathQueries queries;
    private final BlobStore blobs;
    private final CacheMetrics metrics;
    private final CacheProperties properties;
    private final TaskScheduler scheduler;
    private volatile ScheduledFuture<?> schedule;
    private volatile boolean stopping;

    public Evictor(CacheRegistry caches, JdbcClient jdbc, JdbcTemplate batches, TransactionTemplate transactions,
                   JdbcLockRegistry locks, AccessRecorder accesses, PathService paths, PathQueries queries,
                   BlobStore blobs, CacheMetrics metrics, CacheProperties properties, TaskScheduler scheduler) {
        this.caches = caches;
        this.jdbc = jdbc;
        this.batches = batches;
        this.transactions = transactions;
        this.locks = locks;
        this.accesses = accesses;
        this.paths = paths;
        this.queries = queries;
        this.blobs = blobs;
        this.metrics = metrics;
        this.properties = properties;
        this.scheduler = scheduler;
    }

    /** Runs an eviction of one cache now, waiting a while for one in progress; 409 if it does not end in time. */
    public Result collect(CacheRef cache) {
        DistributedLock lock = locks.obtain(LOCK_KEY);
        try {
            if (!lock.tryLock(API_WAIT, LEASE)) {
                throw ApiException.conflict("eviction_running", "An eviction is running (on this or another"
                        + " instance) and did not end within " + API_WAIT.toSeconds() + " s; try again later.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "shutting_down", "The service is stopping.");
        }
        try {
            return collectLocked(caches.reload(cache.name()));
        } finally {
            lock.unlock();
        }
    }

    /** The periodic run: every cache, unless another instance is evicting right now (it will do the job). */
    void collectAll() {
        DistributedLock lock = locks.obtain(LOCK_KEY);
        try {
            if (!lock.tryLock(Duration.ZERO, LEASE)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (DataAccessException e) {
            log.warn("Could not take the eviction lock, will retry: {}", e.getMessage());
            return;
        }
        try {
            for (CacheRef cache : caches.all()) {
                try {
                    collectLocked(cache);
                } catch (RuntimeException e) {
                    log.warn("GC of cache {} failed, will retry: {}", cache.name(), e.toString());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private Result collectLocked(CacheRef cache) {
        accesses.flush(); // this instance's reads count; other instances' are at most a flush interval old
        finishDeletions(cache); // left by a crash or a stopped run
        long before = queries.usage(cache.id());
        int collectedFiles = collectOrphans(cache);
        long usage = queries.usage(cache.id());
        int evicted = 0;
        if (cache.maxSizeBytes() > 0 && usage > cache.maxSizeBytes()) {
            List<EvictionPlanner.Node> plan = EvictionPlanner.plan(loadGraph(cache.id()), pinnedHashes(cache.id()),
                    usage, cache.maxSizeBytes());
            for (int from = 0; from < plan.size(); from += BATCH) {
                List<EvictionPlanner.Node> batch = plan.subList(from, Math.min(plan.size(), from + BATCH));
                Evicted gone;
                try {
                    gone = transactions.execute(tx -> evictBatch(cache, batch));
                } catch (DataAccessException e) {
                    // An upload on another thread or instance referenced a victim between its check and its delete
                    // (the foreign key refused), or won a lock: this round ends here, the next one goes on.
                    log.info("Eviction of cache {} stopped after {} paths, the cache changed meanwhile: {}",
                            cache.name(), evicted, e.getMostSpecificCause().getMessage());
                    break;
                }
                forget(cache, gone);
                finishDeletions(cache);
                evicted += gone.paths().size();
                if (stopping) {
                    break; // the rest waits for the next start
                }
                locks.renewLock(LOCK_KEY, LEASE);
            }
            metrics.evicted(cache.name(), evicted);
            usage = queries.usage(cache.id());
        }
        pruneNotices();
        if (evicted > 0 || collectedFiles > 0) {
            log.info("GC cache={} evictedPaths={} orphanFiles={} usageBytes={} limitBytes={}", cache.name(), evicted,
                    collectedFiles, usage, cache.maxSizeBytes());
        }
        return new Result(cache.name(), evicted, collectedFiles, before - usage, usage);
    }

    /** What one committed batch removed: store hashes of paths, and NAR files no path uses any more. */
    private record Evicted(List<String> paths, List<String> files) {
    }

    /** Deletes the batch's victims that are still unreferenced and unpinned, with the NAR files only they used. */
    private Evicted evictBatch(CacheRef cache, List<EvictionPlanner.Node> batch) {
        List<Long> ids = batch.stream().map(EvictionPlanner.Node::id).toList();
        // Locked first, then looked at again: an upload that referenced a victim since the plan has committed by now
        // (or waits for this commit, and will find the path gone).
        Map<Long, Long> narFileOf = new HashMap<>();
        jdbc.sql("SELECT id, nar_file_id FROM narinfo WHERE id IN (:ids) FOR UPDATE").param("ids", ids)
                .query(rs -> {
                    narFileOf.put(rs.getLong(1), rs.getLong(2));
                });
        List<String> hashes = batch.stream().map(EvictionPlanner.Node::hash).toList();
        Set<String> kept = new HashSet<>(jdbc.sql("SELECT DISTINCT ref_hash FROM narinfo_reference"
                        + " WHERE cache_id = :cache AND ref_hash IN (:hashes) AND narinfo_id NOT IN (:ids)")
                .param("cache", cache.id()).param("hashes", hashes).param("ids", ids).query(String.class).list());
        kept.addAll(jdbc.sql("SELECT store_hash FROM gc_pin WHERE cache_id = :cache AND store_hash IN (:hashes)")
                .param("cache", cache.id()).param("hashes", hashes).query(String.class).list());
        List<EvictionPlanner.Node> victims = new ArrayList<>();
        for (EvictionPlanner.Node node : batch) { // referrers come before what they reference
            if (kept.contains(node.hash()) || !narFileOf.containsKey(node.id())) {
                kept.addAll(node.references()); // what a kept path references stays too
            } else {
                victims.add(node);
            }
        }
        if (victims.isEmpty()) {
            return new Evicted(List.of(), List.of());
        }
        // In plan order, one row at a time: a referrer's edges go before the path they point at.
        batches.batchUpdate("DELETE FROM narinfo WHERE id = ?",
                victims.stream().map(v -> new Object[] {v.id()}).toList());
        Map<Long, String> files = markUnusedNarFiles(cache,
                victims.stream().map(v -> narFileOf.get(v.id())).distinct().toList());
        List<Object[]> notices = new ArrayList<>();
        for (EvictionPlanner.Node victim : victims) {
            notices.add(new Object[] {victim.hash(), files.get(narFileOf.get(victim.id()))});
        }
        notify(cache, notices);
        return new Evicted(victims.stream().map(EvictionPlanner.Node::hash).toList(), List.copyOf(files.values()));
    }

    /**
     * Marks those of the NAR files that no narinfo uses for deletion (nothing serves them from then on), locking them
     * first: a narinfo insert locks its NAR's row too, so it either committed before, and its row is seen here, or
     * finds the file gone.
     *
     * @return the marked files' names by id
     */
    private Map<Long, String> markUnusedNarFiles(CacheRef cache, List<Long> candidates) {
        if (candidates.isEmpty()) {
            return Map.of();
        }
        Map<Long, String> files = new LinkedHashMap<>();
        jdbc.sql("SELECT id, file_name FROM nar_file WHERE id IN (:ids) AND NOT deleting FOR UPDATE")
                .param("ids", candidates)
                .query(rs -> {
                    files.put(rs.getLong(1), rs.getString(2));
                });
        jdbc.sql("SELECT DISTINCT nar_file_id FROM narinfo WHERE nar_file_id IN (:ids)").param("ids", candidates)
                .query(Long.class).list().forEach(files::remove);
        if (!files.isEmpty()) {
            jdbc.sql("UPDATE nar_file SET deleting = TRUE WHERE id IN (:ids)")
                    .param("ids", List.copyOf(files.keySet())).update();
        }
        return files;
    }

    /**
     * Deletes the files marked for deletion, each with its row, under the row's lock: an upload of the same file
     * inserts its row before its file takes the name, so it waits for this commit (and then stores its file anew) or
     * is refused while the mark is there. A file that cannot be deleted keeps its mark for the next run.
     */
    private void finishDeletions(CacheRef cache) {
        try {
            while (!transactions.execute(tx -> deleteMarked(cache)).isEmpty()) {
                // the next batch
            }
        } catch (java.io.UncheckedIOException e) {
            log.warn("Could not delete NAR files of cache {}, will retry: {}", cache.name(), e.getMessage());
        }
    }

    /** One batch of {@link #finishDeletions}, in a transaction: the names of the files deleted. */
    private List<String> deleteMarked(CacheRef cache) {
        Map<Long, String> files = new LinkedHashMap<>();
        jdbc.sql("SELECT id, file_name FROM nar_file WHERE cache_id = ? AND deleting FETCH FIRST " + BATCH
                        + " ROWS ONLY FOR UPDATE").param(cache.id())
                .query(rs -> {
                    files.put(rs.getLong(1), rs.getString(2));
                });
        for (String file : files.values()) {
            try {
                blobs.delete(PathService.blobKey(cache.name(), file));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (!files.isEmpty()) {
            jdbc.sql("DELETE FROM nar_file WHERE id IN (:ids)").param("ids", List.copyOf(files.keySet())).update();
        }
        return List.copyOf(files.values());
    }

    /** NAR files whose narinfo never came within the grace period. */
    private int collectOrphans(CacheRef cache) {
        Timestamp before = Timestamp.from(Instant.now().minus(properties.orphanGrace()));
        List<Long> orphans = jdbc.sql("SELECT f.id FROM nar_file f WHERE f.cache_id = ? AND f.created_at < ?"
                        + " AND NOT f.deleting AND NOT EXISTS (SELECT 1 FROM narinfo n WHERE n.nar_file_id = f.id)")
                .params(cache.id(), before).query(Long.class).list();
        int collected = 0;
        for (int from = 0; from < orphans.size(); from += BATCH) {
            List<Long> batch = orphans.subList(from, Math.min(orphans.size(), from + BATCH));
            List<String> files = transactions.execute(tx -> {
                List<String> marked = List.copyOf(markUnusedNarFiles(cache, batch).values());
                notify(cache, marked.stream().map(file -> new Object[] {null, file}).toList());
                return marked;
            });
            forget(cache, new Evicted(List.of(), files));
            finishDeletions(cache);
            collected += files.size();
        }
        return collected;
    }

    /**
     * Tells every instance what went, in the same transaction as the deletion.
     *
     * @param gone pairs of a store hash and a NAR file name, either of them null
     */
    private void notify(CacheRef cache, List<Object[]> gone) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Object[]> rows = gone.stream().map(pair -> new Object[] {cache.id(), pair[0], pair[1], now}).toList();
        batches.batchUpdate("INSERT INTO eviction_notice (cache_id, store_hash, file_name, created_at)"
                + " VALUES (?, ?, ?, ?)", rows);
    }

    /** After the commit: forgotten here at once (the other instances read the notices). */
    private void forget(CacheRef cache, Evicted gone) {
        gone.paths().forEach(hash -> paths.forget(cache.id(), hash, null));
        gone.files().forEach(file -> paths.forget(cache.id(), null, file));
    }

    private void pruneNotices() {
        jdbc.sql("DELETE FROM eviction_notice WHERE created_at < ?")
                .param(Timestamp.from(Instant.now().minus(NOTICE_RETENTION))).update();
    }

    /**
     * The cache's paths, then their references (in this order: every path in the graph comes with all its references;
     * one stored between the two queries is not in the graph, and the batch's second look finds its references).
     */
    private List<EvictionPlanner.Node> loadGraph(long cacheId) {
        record Row(long id, String hash, Instant lastAccess, long bytes) {
        }
        List<Row> rows = jdbc.sql("SELECT id, store_hash, last_access, file_size FROM narinfo WHERE cache_id = ?")
                .param(cacheId)
                .query((rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getLong(4)))
                .list();
        Map<Long, List<String>> refs = new HashMap<>();
        jdbc.sql("SELECT narinfo_id, ref_hash FROM narinfo_reference WHERE cache_id = ?").param(cacheId)
                .query(rs -> {
                    refs.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                });
        List<EvictionPlanner.Node> nodes = new ArrayList<>();
        for (Row row : rows) {
            nodes.add(new EvictionPlanner.Node(row.id(), row.hash(), row.lastAccess(), row.bytes(),
                    refs.getOrDefault(row.id(), List.of())));
        }
        return nodes;
    }

    private Set<String> pinnedHashes(long cacheId) {
        return new HashSet<>(jdbc.sql("SELECT store_hash FROM gc_pin WHERE cache_id = ?").param(cacheId)
                .query(String.class).list());
    }

    // ---- the periodic run, on Spring's scheduler ----

    @Override
    public void start() {
        Duration every = properties.evictionInterval();
        stopping = false;
        schedule = scheduler.scheduleWithFixedDelay(this::collectAll, Instant.now().plus(every), every);
    }

    @Override
    public void stop() {
        stopping = true; // a run in progress ends with its current batch; the scheduler awaits it
        schedule.cancel(false);
        schedule = null;
    }

    @Override
    public boolean isRunning() {
        return schedule != null;
    }
}
