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
    private final Map<String, Counters> byCache = new ConcurrentHashMap<>();
    private final HitHistory history = new HitHistory();

    /** One cache's counters, registered once: a narinfo hit costs one map lookup and an increment. */
    private record Counters(Counter hits, Counter misses, Counter served, Counter stored, Counter uploads,
                            Counter evictions) {
    }

    public CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void hit(String cache) {
        of(cache).hits().increment();
        history.record(cache, true);
    }

    public void miss(String cache) {
        of(cache).misses().increment();
        history.record(cache, false);
    }

    public void served(String cache, long bytes) {
        of(cache).served().increment(bytes);
    }

    public void stored(String cache, long bytes) {
        of(cache).stored().increment(bytes);
    }

    public void uploaded(String cache) {
        of(cache).uploads().increment();
    }

    public void evicted(String cache, long paths) {
        of(cache).evictions().increment(paths);
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
        Counters counters = byCache.get(cache);
        if (counters == null) {
            return 0;
        }
        Counter counter = switch (name) {
            case "procurator.cache.hits" -> counters.hits();
            case "procurator.cache.misses" -> counters.misses();
            case "procurator.cache.served.bytes" -> counters.served();
            case "procurator.cache.stored.bytes" -> counters.stored();
            case "procurator.cache.uploads" -> counters.uploads();
            case "procurator.cache.evictions" -> counters.evictions();
            default -> throw new IllegalArgumentException("no cache metric " + name);
        };
        return counter.count();
    }

    private Counters of(String cache) {
        Counters counters = byCache.get(cache);
        return counters != null ? counters : byCache.computeIfAbsent(cache, this::register);
    }

    private Counters register(String cache) {
        return new Counters(
                counter("procurator.cache.hits", cache, "narinfo requests answered with a path"),
                counter("procurator.cache.misses", cache, "narinfo requests for paths the cache lacks"),
                counter("procurator.cache.served.bytes", cache, "NAR bytes sent to clients"),
                counter("procurator.cache.stored.bytes", cache, "NAR bytes received and stored"),
                counter("procurator.cache.uploads", cache, "store paths (narinfos) accepted"),
                counter("procurator.cache.evictions", cache, "store paths evicted"));
    }

    private Counter counter(String name, String cache, String description) {
        return Counter.builder(name).tag("cache", cache).description(description).register(registry);
    }
}
