package dev.procurator.ci.pipeline;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.procurator.ci.CiProperties;
import dev.procurator.common.instance.InstanceRegistry;

/**
 * This instance's executors: claims queued pipelines while it has a free executor (at every poll, and at once when a
 * pipeline is queued here), renews the leases of the pipelines it runs, queues again the pipelines of instances that
 * stopped renewing theirs (they died), and cancels a pipeline whose cancellation was requested (on any instance).
 * On shutdown the
 * pipelines it runs go back to the queue for the next instance to take.
 */
@Component
public class PipelineDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PipelineDispatcher.class);

    private final PipelineQueue queue;
    private final PipelineStore pipelines;
    private final StepStore steps;
    private final PipelineRunner runner;
    private final TaskExecutor executor;
    private final AsyncTaskExecutor workExecutor;
    private final TaskScheduler scheduler;
    private final CiProperties properties;
    private final String owner;
    private final Semaphore freeExecutors;
    private final Map<Long, RunControl> running = new ConcurrentHashMap<>();

    private volatile boolean active;
    private volatile boolean stopping;
    private ScheduledFuture<?> polling;
    private ScheduledFuture<?> leases;

    PipelineDispatcher(PipelineQueue queue, PipelineStore pipelines, StepStore steps, PipelineRunner runner,
                       @Qualifier("pipelineExecutor") TaskExecutor executor,
                       @Qualifier("pipelineWorkExecutor") AsyncTaskExecutor workExecutor, TaskScheduler scheduler,
                       CiProperties properties, InstanceRegistry instances) {
        this.queue = queue;
        this.pipelines = pipelines;
        this.steps = steps;
        this.runner = runner;
        this.executor = executor;
        this.workExecutor = workExecutor;
        this.scheduler = scheduler;
        this.properties = properties;
        this.owner = instances.self().id().toString();
        this.freeExecutors = new Semaphore(properties.executors());
    }

    /** Whether this instance is shutting down (a pipeline interrupted now goes back to the queue). */
    boolean stopping() {
        return stopping;
    }

    @Override
    public synchronized void start() {
        stopping = false;
        active = true;
        polling = scheduler.scheduleWithFixedDelay(this::poll, properties.pollInterval());
        leases = scheduler.scheduleWithFixedDelay(this::maintainLeases, properties.lease().dividedBy(3));
        log.info("pipeline dispatcher started owner={} executors={}", owner, properties.executors());
    }

    @Override
    public void stop() {
        synchronized (this) {
            stopping = true;
            active = false;
            polling.cancel(false);
            leases.cancel(false);
        }
        running.values().forEach(RunControl::cancel);
        try {
            // Each interrupted run gives its pipeline back to the queue, then frees its executor.
            if (freeExecutors.tryAcquire(properties.executors(), 20, TimeUnit.SECONDS)) {
                freeExecutors.release(properties.executors());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("pipeline dispatcher stopped owner={}", owner);
    }

    @Override
    public boolean isRunning() {
        return active;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onQueued(PipelineEvents.Queued queued) {
        if (active) {
            scheduler.schedule(this::poll, Instant.now());
        }
    }

    @EventListener
    void onCancelRequested(PipelineEvents.CancelRequested request) {
        cancel(request.pipelineId());
    }

    /** Takes queued pipelines while an executor is free. */
    synchronized void poll() {
        if (!active) {
            return;
        }
        try {
            pipelines.cancelRequestedOf(owner).forEach(this::cancel);
            while (active && freeExecutors.tryAcquire()) {
                var claim = queue.claim(owner, properties.lease());
                if (claim.isEmpty()) {
                    freeExecutors.release();
                    return;
                }
                try {
                    executor.execute(() -> run(claim.get()));
                } catch (TaskRejectedException e) {
                    pipelines.release(claim.get().pipelineId(), owner);
                    freeExecutors.release();
                    return;
                }
            }
        } catch (RuntimeException e) {
            log.warn("pipeline poll failed owner={}: {}", owner, e.toString());
        }
    }

    private void run(PipelineQueue.Claim claim) {
        PipelineRunner.Outcome outcome;
        RunControl control = new RunControl(workExecutor);
        running.put(claim.pipelineId(), control);
        try {
            outcome = runner.execute(claim, control, this::stopping);
        } catch (RuntimeException e) {
            log.error("pipeline={} run crashed", claim.pipelineId(), e);
            outcome = new PipelineRunner.Outcome(PipelineStatus.FAILED, "internal error: " + e);
        } finally {
            running.remove(claim.pipelineId()); // a cancellation arriving now is too late: the outcome stands
        }
        try {
            runner.complete(claim, owner, outcome);
        } catch (RuntimeException e) {
            // The claim's lease runs out and the pipeline is taken up again.
            log.error("pipeline={} outcome {} not recorded", claim.pipelineId(), outcome.status().wire(), e);
        } finally {
            freeExecutors.release();
            if (active) {
                scheduler.schedule(this::poll, Instant.now());
            }
        }
    }

    private void cancel(long pipelineId) {
        RunControl control = running.get(pipelineId);
        if (control != null) {
            control.cancel();
        }
    }

    /** Renews this instance's leases; queues again (or fails, out of attempts) pipelines whose lease ran out. */
    void maintainLeases() {
        try {
            Instant now = Instant.now();
            pipelines.renewLeases(owner, now.plus(properties.lease()));
            for (Long id : pipelines.findExpired(now)) {
                reclaim(id, now);
            }
        } catch (RuntimeException e) {
            log.warn("lease maintenance failed owner={}: {}", owner, e.toString());
        }
    }

    private void reclaim(long id, Instant now) {
        String lost = "the executor running this attempt stopped renewing its lease (it died)";
        if (pipelines.requeueExpired(id, now, properties.maxAttempts()) == 1) {
            steps.abandonRunning(id, lost, now);
            log.warn("pipeline={} queued again: {}", id, lost);
            scheduler.schedule(this::poll, Instant.now());
        } else if (pipelines.failExpired(id, "its executor died " + properties.maxAttempts()
                + " times; not trying again (retry it once the cause is fixed)", now) == 1) {
            steps.abandonRunning(id, lost, now);
            log.warn("pipeline={} failed: out of attempts after its executor died", id);
        }
    }
}
