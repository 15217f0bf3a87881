package dev.procurator.cache.metrics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Narinfo hits and misses per cache per minute over the last hour, in memory, for the dashboard's "hit ratio over
 * time" (Prometheus keeps the long history from the counters).
 */
final class HitHistory {

    static final int MINUTES = 60;

    /** One minute of one cache. */
    record Minute(Instant start, long hits, long misses) {
        public Double ratio() {
            return hits + misses == 0 ? null : (double) hits / (hits + misses);
        }
    }

    private static final class Ring {
        final AtomicLongArray minuteOf = new AtomicLongArray(MINUTES);
        final AtomicLongArray hits = new AtomicLongArray(MINUTES);
        final AtomicLongArray misses = new AtomicLongArray(MINUTES);

        void add(long minute, boolean hit) {
            int slot = (int) (minute % MINUTES);
            long seen = minuteOf.get(slot);
            if (seen != minute && minuteOf.compareAndSet(slot, seen, minute)) {
                hits.set(slot, 0);
                misses.set(slot, 0);
            }
            (hit ? hits : misses).incrementAndGet(slot);
        }
    }

    private final Map<String, Ring> rings = new ConcurrentHashMap<>();

    void record(String cache, boolean hit) {
        rings.computeIfAbsent(cache, c -> new Ring()).add(nowMinute(), hit);
    }

    /** The last {@code MINUTES} minutes, oldest first (zeros where nothing happened). */
    List<Minute> lastHour(String cache) {
        Ring ring = rings.get(cache);
        long now = nowMinute();
        List<Minute> out = new ArrayList<>(MINUTES);
        for (long minute = now - MINUTES + 1; minute <= now; minute++) {
            int slot = (int) (minute % MINUTES);
            boolean current = ring != null && ring.minuteOf.get(slot) == minute;
            out.add(new Minute(Instant.EPOCH.plus(minute, ChronoUnit.MINUTES), current ? ring.hits.get(slot) : 0,
                    current ? ring.misses.get(slot) : 0));
        }
        return out;
    }

    private static long nowMinute() {
        return System.currentTimeMillis() / 60_000;
    }
}
