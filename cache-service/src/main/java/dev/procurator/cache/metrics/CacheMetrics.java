package dev.procurator.cache.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Per-cache counters on {@code /actuator/prometheus}: {@code procurator_cache_hits_total},
 * {@code _misses_total}, {@code _served_bytes_total}, {@code _stored_bytes_total}, {@code _uploads_total},
 * {@code _evictions_total}, each tagged {@code cache}.
 */
@Component
public class CacheMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final HitHistory history = new HitHistory();

    public CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void hit(String cache) {
        counter("procurator.cache.hits", cache, "narinfo requests answered with a path").increment();
        history.record(cache, true);
    }

    public void miss(String cache) {
        counter("procurator.cache.misses", cache, "narinfo requests for paths the cache lacks").increment();
        history.record(cache, false);
    }

    public void served(String cache, long bytes) {
        counter("procurator.cache.served.bytes", cache, "NAR bytes sent to clients").increment(bytes);
    }

    public void stored(String cache, long bytes) {
        counter("procurator.cache.stored.bytes", cache, "NAR bytes received and stored").increment(bytes);
    }

    public void uploaded(String cache) {
        counter("procurator.cache.uploads", cache, "store paths (narinfos) accepted").increment();
    }

    public void evicted(String cache, long paths) {
        counter("procurator.cache.evictions", cache, "store paths evicted").increment(paths);
    }

    /** Hit ratio per 5 minutes over the last hour, oldest first; null where there were no requests. */
    public java.util.List<Bucket> hitRatioLastHour(String cache) {
        var minutes = history.lastHour(cache);
        java.util.List<Bucket> buckets = new java.util.ArrayList<>();
        for (int i = 0; i < minutes.size(); i += 5) {
            long hits = 0;
            long misses = 0;
            for (int j = i; j < i + 5 && j < minutes.size(); j++) {
                hits += minutes.get(j).hits();
                misses += minutes.get(j).misses();
            }
            buckets.add(new Bucket(minutes.get(i).start(), hits, misses));
        }
        return buckets;
    }

    /** Requests in one interval, for the dashboard. */
    public record Bucket(java.time.Instant start, long hits, long misses) {
        public Integer percent() {
            return hits + misses == 0 ? null : (int) Math.round(100.0 * hits / (hits + misses));
        }
    }

    public double value(String name, String cache) {
        Counter counter = counters.get(name + "|" + cache);
        return counter == null ? 0 : counter.count();
    }

    private Counter counter(String name, String cache, String description) {
        return counters.computeIfAbsent(name + "|" + cache, k -> Counter.builder(name).tag("cache", cache)
                .description(description).register(registry));
    }
}
