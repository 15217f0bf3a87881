package dev.procurator.worker.vm;

import java.time.Duration;

import org.springframework.stereotype.Component;

/** Wakes the reporter when something it reports changed, so the master hears of it at once. */
@Component
public class StatusChanges {

    private boolean changed;

    public synchronized void signal() {
        changed = true;
        notifyAll();
    }

    /** Waits until a change or {@code limit}; true when something changed. */
    public synchronized boolean await(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!changed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        changed = false;
        return true;
    }
}
