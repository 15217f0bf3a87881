package dev.procurator.ci.pipeline;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Cancellation of one running pipeline. The pipeline's own thread is never interrupted: it writes to the database,
 * and an interrupt during a file write closes the embedded H2 database for the whole service (Java's interruptible
 * file channels). The work that waits — processes, network calls, backoff sleeps — runs on a worker thread of its
 * own ({@link #interruptibly}), and a cancellation interrupts that thread only: the process tree is killed, the wait
 * ends, and the pipeline thread records the outcome.
 */
final class RunControl {

    private volatile boolean cancelled;
    private volatile Thread worker;

    void cancel() {
        cancelled = true;
        Thread current = worker;
        if (current != null) {
            current.interrupt();
        }
    }

    /** Throws {@link PipelineRunner.Cancelled} once a cancellation was asked for. */
    void check() {
        if (cancelled) {
            throw new PipelineRunner.Cancelled();
        }
    }

    /** Runs {@code work} on a worker thread that a cancellation interrupts; its result or exception is this call's. */
    <T> T interruptibly(Callable<T> work) {
        check();
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofVirtual().name("pipeline-work").unstarted(() -> {
            try {
                result.set(work.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        worker = thread;
        // A cancellation that arrived between check() and now finds no worker to interrupt: start interrupted.
        if (cancelled) {
            worker = null;
            throw new PipelineRunner.Cancelled();
        }
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            // Only a JVM shutdown interrupts the pipeline thread itself: stop the work and report it cancelled.
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new PipelineRunner.Cancelled();
        } finally {
            worker = null;
        }
        Throwable thrown = failure.get();
        if (thrown instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        if (thrown != null) {
            throw new IllegalStateException(thrown);
        }
        return result.get();
    }
}
