package dev.procurator.controlplane.worker;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.procurator.controlplane.assignment.Replica;
import dev.procurator.controlplane.assignment.ReplicaStore;
import dev.procurator.controlplane.config.ControlPlaneProperties;
import dev.procurator.controlplane.event.EventLog;
import dev.procurator.controlplane.leader.Leadership;
import dev.procurator.schema.WorkerRpc.Worker;

/**
 * The workers: registrations (stored), heartbeats and {@code Worker} capabilities (in memory, on the leader only: a
 * new leader knows no worker until it registers again, and counts silence from the moment it took over). Liveness by
 * lease: ready, suspect after {@code suspectAfter} without a heartbeat, down after {@code downAfter}, when its
 * replicas are rescheduled elsewhere; a worker that comes back registers and gets an assignment without them.
 */
@Component
public class WorkerRegistry implements Leadership.LeaderListener {

    private static final Logger log = LoggerFactory.getLogger(WorkerRegistry.class);

    /** A worker this leader heard from: when, and its capability for notify. */
    private static final class Live {
        volatile long lastHeartbeat;
        volatile boolean persisted;
        volatile String metrics;
        volatile Worker.Client capability;
    }

    /** The information a worker registers with. */
    public record Registration(String workerId, String hostname, String address, String apiUrl, List<String> labels,
                               double cpu, long memoryMb, long diskMb, String agentVersion) {
    }

    private final WorkerStore store;
    private final ReplicaStore replicas;
    private final EventLog events;
    private final ControlPlaneProperties properties;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private volatile long leadingSince;

    WorkerRegistry(WorkerStore store, ReplicaStore replicas, EventLog events, ControlPlaneProperties properties,
                   Leadership leadership) {
        this.store = store;
        this.replicas = replicas;
        this.events = events;
        this.properties = properties;
        leadership.listen(this);
    }

    /** Inside the single writer. */
    public String register(Registration registration, Worker.Client capability, long now) {
        String id = registration.workerId() == null || registration.workerId().isBlank()
                ? "worker-" + UUID.randomUUID().toString().substring(0, 8) : registration.workerId();
        WorkerRecord previous = store.find(id).orElse(null);
        store.register(new WorkerRecord(id, registration.hostname(), registration.address(), registration.apiUrl(),
                registration.labels(), registration.cpu(), registration.memoryMb(), registration.diskMb(),
                registration.agentVersion(), WorkerRecord.Liveness.READY, false, now, null, 0));
        Live entry = live.computeIfAbsent(id, key -> new Live());
        entry.lastHeartbeat = now;
        entry.persisted = true;
        Worker.Client old = entry.capability;
        entry.capability = capability;
        if (old != null) {
            old.close();
        }
        if (capability != null) {
            capability.whenDisconnected().thenRun(() -> dropCapability(id, capability));
        }
        if (previous == null || previous.liveness() != WorkerRecord.Liveness.READY) {
            events.record(EventLog.WORKER, null, null, id, null, null, previous == null
                    ? "registered (" + registration.cpu() + " CPU, " + registration.memoryMb() + " MiB, labels "
                    + registration.labels() + ")" : previous.liveness().name().toLowerCase() + " -> ready: registered");
        }
        return id;
    }

    private void dropCapability(String id, Worker.Client capability) {
        Live entry = live.get(id);
        if (entry != null && entry.capability == capability) {
            entry.capability = null;
        }
        capability.close();
    }

    /** @return false when this leader does not know the worker (it must register again) */
    public boolean heartbeat(String id, String metrics, long now) {
        Live entry = live.get(id);
        if (entry == null) {
            return false;
        }
        entry.lastHeartbeat = now;
        entry.persisted = false;
        entry.metrics = metrics;
        return true;
    }

    public boolean isKnown(String id) {
        return live.containsKey(id);
    }

    public Worker.Client capability(String id) {
        Live entry = live.get(id);
        return entry == null ? null : entry.capability;
    }

    /** The last heartbeat as this leader saw it (fresher than the stored one). */
    public Long lastHeartbeat(String id) {
        Live entry = live.get(id);
        return entry == null ? null : entry.lastHeartbeat;
    }

    /** Liveness by lease; a worker that went down loses its replicas. Inside the single writer. */
    public void tick(long now) {
        List<WorkerStore.Heartbeat> beats = new java.util.ArrayList<>();
        for (WorkerRecord worker : store.all()) {
            Live entry = live.get(worker.id());
            long last = entry != null ? entry.lastHeartbeat : Math.max(worker.lastHeartbeat(), leadingSince);
            long silent = now - last;
            WorkerRecord.Liveness liveness = silent >= properties.downAfter().toMillis() ? WorkerRecord.Liveness.DOWN
                    : silent >= properties.suspectAfter().toMillis() ? WorkerRecord.Liveness.SUSPECT
                    : entry == null ? worker.liveness() : WorkerRecord.Liveness.READY;
            if (liveness != worker.liveness()) {
                store.liveness(worker.id(), liveness, last);
                events.record(EventLog.WORKER, null, null, worker.id(), null, null,
                        worker.liveness().name().toLowerCase() + " -> " + liveness.name().toLowerCase()
                                + ": last heartbeat " + silent / 1000 + "s ago");
                if (liveness == WorkerRecord.Liveness.DOWN) {
                    lost(worker.id(), "worker " + worker.id() + " is down");
                }
            } else if (entry != null && !entry.persisted) {
                beats.add(new WorkerStore.Heartbeat(worker.id(), last, entry.metrics));
                entry.persisted = true;
            }
        }
        store.heartbeats(beats);
    }

    private void lost(String id, String reason) {
        Live entry = live.remove(id);
        if (entry != null && entry.capability != null) {
            entry.capability.close();
        }
        unplaceAll(id, reason);
    }

    /** Its replicas go back to the scheduler (inside the single writer). */
    public void unplaceAll(String id, String reason) {
        for (Replica replica : replicas.ofWorker(id)) {
            replicas.unplace(replica, reason);
            events.record(EventLog.REPLICA_UNPLACEABLE, replica.source(), replica.vm(), id, replica.generation(), null,
                    "replica " + replica.replica() + " leaves " + id + ": " + reason);
        }
    }

    /** drain: its replicas move and it takes no new ones; undrain: it takes replicas again. Inside the writer. */
    public WorkerRecord drain(String id, boolean drain) {
        WorkerRecord worker = store.find(id).orElseThrow(() -> new UnknownWorkerException(id));
        if (worker.draining() != drain) {
            store.draining(id, drain);
            events.record(EventLog.WORKER, null, null, id, null, null, drain ? "draining (operator)"
                    : "drain ended (operator)");
            if (drain) {
                unplaceAll(id, "worker " + id + " is draining");
            }
        }
        return store.find(id).orElseThrow();
    }

    @Override
    public void leading() {
        leadingSince = System.currentTimeMillis();
        closeAll();
    }

    @Override
    public void following() {
        closeAll();
    }

    private void closeAll() {
        live.values().forEach(entry -> {
            if (entry.capability != null) {
                entry.capability.close();
            }
        });
        live.clear();
        log.debug("Forgot the live workers");
    }

    /** An id no worker registered with. */
    public static class UnknownWorkerException extends RuntimeException {
        public UnknownWorkerException(String id) {
            super("worker " + id + " is not registered; register again");
        }
    }
}
