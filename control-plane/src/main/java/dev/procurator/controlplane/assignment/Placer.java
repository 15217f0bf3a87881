package dev.procurator.controlplane.assignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.stereotype.Component;

import dev.procurator.controlplane.config.ControlPlaneProperties;
import dev.procurator.controlplane.event.EventLog;
import dev.procurator.controlplane.scheduler.ClusterState;
import dev.procurator.controlplane.scheduler.ExistingReplica;
import dev.procurator.controlplane.scheduler.Placement;
import dev.procurator.controlplane.scheduler.Plan;
import dev.procurator.controlplane.scheduler.ReplicaRequest;
import dev.procurator.controlplane.scheduler.Scheduler;
import dev.procurator.controlplane.scheduler.Unplaced;
import dev.procurator.controlplane.scheduler.WorkerCapacity;
import dev.procurator.controlplane.worker.WorkerRecord;
import dev.procurator.controlplane.worker.WorkerStore;

/**
 * Places unplaced replicas: hands the cluster's state to the (pure) {@link Scheduler} and applies its plan. An
 * unplaceable replica keeps the scheduler's reason, shown in the status, and is tried again at every tick, so it is
 * placed once capacity appears. Runs inside the single writer.
 */
@Component
public class Placer {

    private final ReplicaStore replicas;
    private final WorkerStore workers;
    private final EventLog events;
    private final Scheduler scheduler;

    Placer(ReplicaStore replicas, WorkerStore workers, EventLog events, ControlPlaneProperties properties) {
        this.replicas = replicas;
        this.workers = workers;
        this.events = events;
        this.scheduler = new Scheduler(properties.scoring());
    }

    public void placeUnplaced(long now) {
        List<Replica> unplaced = replicas.unplaced().stream().filter(r -> r.retireAt() == null).toList();
        if (unplaced.isEmpty()) {
            return;
        }
        List<Replica> all = replicas.all();
        Plan plan = scheduler.plan(state(all), unplaced.stream().map(Placer::request).toList());
        Map<String, Replica> byKey = new HashMap<>();
        unplaced.forEach(r -> byKey.put(r.vm() + "/" + r.replica(), r));
        for (Placement placement : plan.placements()) {
            Replica replica = byKey.get(key(placement.request()));
            replicas.place(replica, placement.workerId(), now);
            events.record(EventLog.REPLICA_PLACED, replica.source(), replica.vm(), placement.workerId(),
                    replica.generation(), null, "replica " + replica.replica() + " placed on " + placement.workerId());
        }
        for (Unplaced failed : plan.unplaced()) {
            Replica replica = byKey.get(key(failed.request()));
            if (!Objects.equals(replica.unplacedReason(), failed.reason())) {
                replicas.unplaceable(List.of(replica), failed.reason());
                events.record(EventLog.REPLICA_UNPLACEABLE, replica.source(), replica.vm(), null,
                        replica.generation(), null, "replica " + replica.replica() + " cannot be placed: "
                                + failed.reason());
            }
        }
    }

    private ClusterState state(List<Replica> all) {
        Map<String, double[]> allocated = allocated(all);
        List<WorkerCapacity> capacities = new ArrayList<>();
        for (WorkerRecord w : workers.all()) {
            double[] used = allocated.getOrDefault(w.id(), new double[2]);
            capacities.add(new WorkerCapacity(w.id(), w.acceptsReplicas(), new HashSet<>(w.labels()), w.cpu(),
                    w.memoryMb(), used[0], (long) used[1]));
        }
        List<ExistingReplica> existing = all.stream().filter(r -> r.workerId() != null)
                .map(r -> new ExistingReplica(r.vm(), r.workerId())).toList();
        return new ClusterState(capacities, existing);
    }

    /** CPU and memory reserved on each worker by the replicas placed on it: {cpu, memoryMb}. */
    public static Map<String, double[]> allocated(List<Replica> all) {
        Map<String, double[]> allocated = new HashMap<>();
        for (Replica r : all) {
            if (r.workerId() != null) {
                double[] used = allocated.computeIfAbsent(r.workerId(), id -> new double[2]);
                used[0] += r.spec().cpu();
                used[1] += r.spec().memory().megabytes();
            }
        }
        return allocated;
    }

    private static ReplicaRequest request(Replica r) {
        return new ReplicaRequest(r.vm(), r.replica(), r.spec().cpu(), r.spec().memory().megabytes(),
                new HashSet<>(r.spec().labels()));
    }

    private static String key(ReplicaRequest request) {
        return request.vm() + "/" + request.replica();
    }
}
