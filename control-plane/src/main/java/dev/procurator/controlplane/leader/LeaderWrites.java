package dev.procurator.controlplane.leader;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.procurator.controlplane.assignment.Revisions;
import dev.procurator.controlplane.event.EventLog;

/**
 * The one way state changes: only on the leader, one change at a time (the control plane's decisions read what the
 * previous one wrote), each in one transaction. Workers whose assignment changed are woken and the timeline's
 * listeners told only after the commit, so nobody sees what could still be rolled back.
 */
@Component
public class LeaderWrites {

    private final Leadership leadership;
    private final TransactionTemplate tx;
    private final Revisions revisions;
    private final EventLog events;
    private final ReentrantLock lock = new ReentrantLock();

    LeaderWrites(Leadership leadership, TransactionTemplate tx, Revisions revisions, EventLog events) {
        this.leadership = leadership;
        this.tx = tx;
        this.revisions = revisions;
        this.events = events;
    }

    /** @throws NotLeaderException on a follower, changing nothing */
    public <T> T write(Supplier<T> change) {
        lock.lock();
        try {
            leadership.requireLeader();
            T result;
            try {
                result = tx.execute(status -> {
                    T value = change.get();
                    revisions.persist();
                    return value;
                });
            } catch (RuntimeException e) {
                revisions.discard();
                throw e;
            }
            revisions.committed();
            events.committed();
            return result;
        } finally {
            lock.unlock();
        }
    }

    public void run(Runnable change) {
        write(() -> {
            change.run();
            return null;
        });
    }
}
