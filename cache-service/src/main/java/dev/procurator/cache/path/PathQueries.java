package dev.procurator.cache.path;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.cache.nix.StorePath;
import dev.procurator.common.error.ApiException;

/** Read-only views of a cache's paths for the API and the dashboard: usage, recent pushes, search, closures. */
@Service
public class PathQueries {

    /** One path as the API and dashboard show it. */
    public record PathSummary(String storePath, String hash, long narSize, long fileSize, String compression,
                              List<String> references, String deriver, Instant createdAt, Instant lastAccess) {
        static PathSummary of(PathRecord r) {
            return new PathSummary(r.getStorePath(), r.getStoreHash(), r.getNarSize(), r.getFileSize(),
                    r.getCompression(), r.references(), r.getDeriver(), r.getCreatedAt(), r.getLastAccess());
        }
    }

    /** A path's closure: the path, everything it references transitively, and their total sizes. */
    public record Closure(PathSummary root, List<PathSummary> paths, long narSize, long fileSize, List<String> missing) {
    }

    private final PathRecordStore paths;
    private final JdbcClient jdbc;

    public PathQueries(PathRecordStore paths, JdbcClient jdbc) {
        this.paths = paths;
        this.jdbc = jdbc;
    }

    /** Bytes of NAR files the cache stores, what its size limit counts. */
    public long usage(long cacheId) {
        return jdbc.sql("SELECT COALESCE(SUM(file_size), 0) FROM nar_file WHERE cache_id = ?")
                .param(cacheId).query(Long.class).single();
    }

    public List<PathSummary> recent(CacheRef cache, int limit) {
        return paths.findByCacheIdOrderByCreatedAtDesc(cache.id(), PageRequest.of(0, limit)).stream()
                .map(PathSummary::of).toList();
    }

    public long count(CacheRef cache) {
        return paths.countByCacheId(cache.id());
    }

    /** Paths whose store path contains {@code query}, or the one path of a hash/store path. */
    public List<PathSummary> search(CacheRef cache, String query, int limit) {
        String q = query == null ? "" : query.strip();
        if (q.isEmpty()) {
            return recent(cache, limit);
        }
        try {
            String hash = StorePath.hashOf(q);
            var exact = paths.findByCacheIdAndStoreHash(cache.id(), hash);
            if (exact.isPresent()) {
                return List.of(PathSummary.of(exact.get()));
            }
        } catch (IllegalArgumentException notAHash) {
            // a name fragment: search below
        }
        if (q.length() > 200) {
            throw ApiException.badRequest("invalid_query", "A search is at most 200 characters.");
        }
        return paths.findByCacheIdAndStorePathContainingOrderByStorePathAsc(cache.id(), q, PageRequest.of(0, limit))
                .stream().map(PathSummary::of).toList();
    }

    public Closure closure(CacheRef cache, String pathOrHash) {
        String hash;
        try {
            hash = StorePath.hashOf(pathOrHash);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_store_path", e.getMessage());
        }
        PathRecord root = paths.findByCacheIdAndStoreHash(cache.id(), hash)
                .orElseThrow(() -> ApiException.notFound("Cache '" + cache.name() + "' has no path " + pathOrHash + "."));
        Map<String, PathRecord> found = new LinkedHashMap<>();
        found.put(hash, root);
        Set<String> missing = new HashSet<>();
        List<PathRecord> frontier = List.of(root);
        while (!frontier.isEmpty()) {
            Set<String> next = new HashSet<>();
            for (PathRecord r : frontier) {
                for (String ref : r.references()) {
                    String refHash = ref.substring(0, 32);
                    if (!found.containsKey(refHash)) {
                        next.add(refHash);
                    }
                }
            }
            if (next.isEmpty()) {
                break;
            }
            List<PathRecord> loaded = paths.findByCacheIdAndStoreHashIn(cache.id(), next);
            loaded.forEach(r -> found.put(r.getStoreHash(), r));
            loaded.forEach(r -> next.remove(r.getStoreHash()));
            missing.addAll(next);
            frontier = loaded;
        }
        List<PathSummary> all = new ArrayList<>(found.values().stream().map(PathSummary::of).toList());
        all.sort((a, b) -> Long.compare(b.narSize(), a.narSize()));
        return new Closure(PathSummary.of(root), all, all.stream().mapToLong(PathSummary::narSize).sum(),
                all.stream().mapToLong(PathSummary::fileSize).sum(), missing.stream().sorted().toList());
    }
}
