package dev.procurator.worker.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

import org.springframework.scheduling.TaskScheduler;

import dev.procurator.schema.blueprint.Blueprint;

/**
 * Runs a replica's enabled health checks and derives its health: {@code unknown} while booting and in the checks'
 * initial delay, {@code healthy} when every enabled check's last attempt passed (a VM without checks: as soon as
 * it runs), {@code unhealthy} once a check has failed {@code retries} times in a row after its initial delay.
 * Until a check first passes it is tried every 200 ms (a booting guest turns green without waiting a whole
 * interval) while its failures still count once per {@code interval}; after that it runs every {@code interval}. Each change of a check's outcome is handed to {@code onResult}.
 */
public final class HealthMonitor {

    public enum Health { UNKNOWN, HEALTHY, UNHEALTHY }

    /** One outcome, as reported to the master. */
    public record Result(String check, boolean healthy, String message, long checkedAtMillis, long latencyMillis) {
    }

    private static final Duration STARTUP_INTERVAL = Duration.ofMillis(200);

    private final List<CheckState> checks = new ArrayList<>();
    private final HealthProbe probe;
    private final HealthProbe.Target target;
    private final TaskScheduler scheduler;
    private final Consumer<Result> onResult;
    private final Runnable onChange;
    private final long startedMillis;
    private volatile boolean stopped;
    private volatile Health health;

    public HealthMonitor(List<Blueprint.HealthCheck> specs, HealthProbe probe, HealthProbe.Target target,
                         TaskScheduler scheduler, Consumer<Result> onResult, Runnable onChange) {
        this.probe = probe;
        this.target = target;
        this.scheduler = scheduler;
        this.onResult = onResult;
        this.onChange = onChange;
        this.startedMillis = System.currentTimeMillis();
        for (Blueprint.HealthCheck spec : specs) {
            if (spec.enabled()) {
                checks.add(new CheckState(spec));
            }
        }
        this.health = checks.isEmpty() ? Health.HEALTHY : Health.UNKNOWN;
    }

    public void start() {
        for (CheckState check : checks) {
            check.schedule(STARTUP_INTERVAL);
        }
    }

    public Health health() {
        return health;
    }

    /** The last outcome of each check that has run. */
    public List<Result> lastResults() {
        return checks.stream().map(c -> c.last).filter(r -> r != null).toList();
    }

    public void stop() {
        stopped = true;
        checks.forEach(c -> {
            ScheduledFuture<?> future = c.future;
            if (future != null) {
                future.cancel(false);
            }
        });
    }

    private synchronized void recompute() {
        Health next;
        if (checks.stream().anyMatch(CheckState::failedOut)) {
            next = Health.UNHEALTHY;
        } else if (checks.stream().allMatch(c -> c.last != null && c.last.healthy())) {
            next = Health.HEALTHY;
        } else {
            next = Health.UNKNOWN;
        }
        if (next != health) {
            health = next;
            onChange.run();
        }
    }

    private final class CheckState {
        final Blueprint.HealthCheck spec;
        volatile Result last;
        volatile int consecutiveFailures;
        volatile boolean passedOnce;
        volatile long lastCountedFailure;
        volatile ScheduledFuture<?> future;

        CheckState(Blueprint.HealthCheck spec) {
            this.spec = spec;
            this.lastCountedFailure = startedMillis;   // the first failure counts one interval after boot at the earliest
        }

        void schedule(Duration every) {
            future = scheduler.scheduleWithFixedDelay(this::attempt, Instant.now(), every);
        }

        boolean failedOut() {
            return consecutiveFailures >= Math.max(1, spec.retries());
        }

        private void attempt() {
            if (stopped) {
                return;
            }
            HealthProbe.Outcome outcome = probe.run(spec, target);
            if (stopped) {
                return;
            }
            long now = System.currentTimeMillis();
            long intervalMillis = Math.max(1, spec.interval()) * 1000L;
            boolean inGrace = now - startedMillis < spec.initialDelay() * 1000L;
            Result result = new Result(spec.name(), outcome.healthy(), outcome.message(), now, outcome.latencyMillis());
            Result previous = last;
            if (outcome.healthy()) {
                consecutiveFailures = 0;
                last = result;
            } else if (!inGrace && (passedOnce || now - lastCountedFailure >= intervalMillis)) {
                // Before the first pass the check is tried often, but failures count at its own pace.
                consecutiveFailures++;
                lastCountedFailure = now;
                last = result;
            }
            if (last == result && (previous == null || previous.healthy() != result.healthy())) {
                onResult.accept(result);
            }
            if (outcome.healthy() && !passedOnce) {
                passedOnce = true;
                future.cancel(false);
                Duration interval = Duration.ofMillis(intervalMillis);
                future = scheduler.scheduleWithFixedDelay(this::attempt, Instant.now().plus(interval), interval);
            }
            recompute();
        }
    }
}
