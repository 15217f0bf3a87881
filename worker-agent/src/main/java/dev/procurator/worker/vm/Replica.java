package dev.procurator.worker.vm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import dev.procurator.worker.cgroup.Cgroups;
import dev.procurator.worker.console.ConsoleCapture;
import dev.procurator.worker.console.ConsoleLog;
import dev.procurator.worker.health.HealthMonitor;
import dev.procurator.worker.network.LoopbackForwarder;
import dev.procurator.worker.vmm.VmmInstance;

/**
 * One replica on this host as the agent tracks it: what should run ({@link #desired}), what runs ({@link #record},
 * durable, and the live VMM, console reader, health monitor and port forwarders), its phase and the timings of its
 * last boot. Operations on it run one at a time under {@link #lock}.
 */
final class Replica {

    final ReplicaKey key;
    final Path dir;
    final ConsoleLog console;
    final ReentrantLock lock = new ReentrantLock();

    volatile DesiredReplica desired;
    volatile ReplicaRecord record;
    volatile Phase phase = Phase.PENDING;
    volatile String message = "";
    volatile long sinceMillis = System.currentTimeMillis();
    volatile String limits = "";

    volatile VmmInstance vmm;
    volatile ConsoleCapture capture;
    volatile HealthMonitor monitor;
    volatile Cgroups.Group group;
    final List<LoopbackForwarder> forwarders = new ArrayList<>();
    /** Completed with the first verdict (healthy or unhealthy) of the closure just booted. */
    volatile CompletableFuture<HealthMonitor.Health> verdict = new CompletableFuture<>();
    volatile BootTimings timings = BootTimings.NONE;

    Replica(ReplicaKey key, Path dir, ConsoleLog console) {
        this.key = key;
        this.dir = dir;
        this.console = console;
    }

    void phase(Phase next, String why) {
        if (next != phase) {
            sinceMillis = System.currentTimeMillis();
        }
        phase = next;
        message = why == null ? "" : why;
    }

    HealthMonitor.Health health() {
        HealthMonitor current = monitor;
        if (current == null || vmm == null) {
            return HealthMonitor.Health.UNKNOWN;
        }
        return current.health();
    }

    /**
     * When each step of the last boot ended (epoch millis, 0 = not reached): the closure was asked for, fetched,
     * the VMM ran the guest, the replica turned healthy. (The guest's first console output is the console's.)
     */
    record BootTimings(long assignedAt, long fetchedAt, long vmmStartedAt, long healthyAt) {
        static final BootTimings NONE = new BootTimings(0, 0, 0, 0);
    }
}
