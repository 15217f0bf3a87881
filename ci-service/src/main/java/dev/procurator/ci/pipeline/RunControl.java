package dev.procurator.ci.pipeline;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.springframework.core.task.AsyncTaskExecutor;

/**
 * Cancellation of one running pipeline. The pipeline's own thread is never interrupted: it writes to the database,
 * and an interrupt during a file write closes the embedded H2 database for the whole service (Java's interruptible
 * file channels). The work that waits — processes, network calls, backoff sleeps — runs as a task of its own
 * ({@link #interruptibly}), and a cancellation interrupts that task only: the process tree is killed, the wait ends,
 * and the pipeline thread records the outcome.
 */
final class RunControl {

    private final AsyncTaskExecutor executor;
    private volatile boolean cancelled;
    private volatile Future<?> work;

    RunControl(AsyncTaskExecutor executor) {
        this.executor = executor;
    }

    void cancel() {
        cancelled = true;
        Future<?> current = work;
        if (current != null) {
            current.cancel(true);
        }
    }

    /** Throws {@link PipelineRunner.Cancelled} once a cancellation was asked for. */
    void check() {
        if (cancelled) {
            throw new PipelineRunner.Cancelled();
        }
    }

    /** Runs {@code task} where a cancellation interrupts it; its result or exception is this call's. */
    <T> T interruptibly(Callable<T> task) {
        check();
        Future<T> future = executor.submit(task);
        work = future;
        if (cancelled) { // cancelled between check() and now: nobody else will cancel this task
            future.cancel(true);
        }
        try {
            return future.get();
        } catch (CancellationException e) {
            throw new PipelineRunner.Cancelled();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new PipelineRunner.Cancelled();
        } finally {
            work = null;
        }
    }
}
