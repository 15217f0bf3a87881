package dev.procurator.controlplane.rollout;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import dev.procurator.controlplane.config.ControlPlaneProperties;
import dev.procurator.controlplane.leader.LeaderWrites;
import dev.procurator.controlplane.leader.Leadership;
import dev.procurator.controlplane.worker.WorkerRegistry;

/**
 * The leader's periodic drive (every {@code tick}, on Spring's scheduler): workers' liveness, then every unfinished
 * rollout (deadlines, auto-promotion, the next batch), retired replicas, and the placement of what waits for capacity.
 * Reports and publications drive the same steps at once; this catches time passing and restarts.
 */
@Component
public class Ticker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Ticker.class);

    private final LeaderWrites writes;
    private final Leadership leadership;
    private final WorkerRegistry workers;
    private final Rollouts rollouts;
    private final TaskScheduler scheduler;
    private final ControlPlaneProperties properties;
    private volatile ScheduledFuture<?> task;

    Ticker(LeaderWrites writes, Leadership leadership, WorkerRegistry workers, Rollouts rollouts,
           TaskScheduler scheduler, ControlPlaneProperties properties) {
        this.writes = writes;
        this.leadership = leadership;
        this.workers = workers;
        this.rollouts = rollouts;
        this.scheduler = scheduler;
        this.properties = properties;
    }

    void tick() {
        if (!leadership.isLeader()) {
            return;
        }
        try {
            writes.run(() -> {
                long now = System.currentTimeMillis();
                workers.tick(now);
                rollouts.tick(now);
            });
        } catch (RuntimeException e) {
            log.warn("Tick failed: {}", e.toString());
        }
    }

    @Override
    public void start() {
        task = scheduler.scheduleWithFixedDelay(this::tick, Instant.now().plus(properties.tick()), properties.tick());
    }

    @Override
    public void stop() {
        task.cancel(false);
    }

    @Override
    public boolean isRunning() {
        return task != null && !task.isCancelled();
    }
}
