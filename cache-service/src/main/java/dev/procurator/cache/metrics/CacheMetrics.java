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

    public CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void hit(String cache) {
        counter("procurator.cache.hits", cache, "narinfo requests answered with a path").increment();
    }

    public void miss(String cache) {
        counter("procurator.cache.misses", cache, "narinfo requests for paths the cache lacks").increment();
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

    public double value(String name, String cache) {
        Counter counter = counters.get(name + "|" + cache);
        return counter == null ? 0 : counter.count();
    }

    private Counter counter(String name, String cache, String description) {
        return counters.computeIfAbsent(name + "|" + cache, k -> Counter.builder(name).tag("cache", cache)
                .description(description).register(registry));
    }
}
