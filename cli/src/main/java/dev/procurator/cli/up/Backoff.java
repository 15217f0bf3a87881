package dev.procurator.cli.up;

import java.time.Duration;

/**
 * Restart delays for a crashing service: doubling from {@code initial} up to {@code max}, and back to {@code initial}
 * once the service has stayed up for {@code stableAfter} (a crash a day later is not a crash loop).
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final Duration stableAfter;
    private Duration next;

    public Backoff(Duration initial, Duration max, Duration stableAfter) {
        this.initial = initial;
        this.max = max;
        this.stableAfter = stableAfter;
        this.next = initial;
    }

    public static Backoff standard() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    /** The delay before restarting a service that crashed after running for {@code uptime}. */
    public synchronized Duration afterCrash(Duration uptime) {
        if (uptime.compareTo(stableAfter) >= 0) {
            next = initial;
        }
        Duration delay = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return delay;
    }
}
