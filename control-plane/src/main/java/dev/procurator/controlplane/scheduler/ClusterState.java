package dev.procurator.controlplane.scheduler;

import java.util.List;
import java.util.Objects;

/** What the scheduler plans against: the workers and the replicas they already run. */
public record ClusterState(List<WorkerCapacity> workers, List<ExistingReplica> replicas) {

    public ClusterState {
        workers = List.copyOf(Objects.requireNonNull(workers, "workers"));
        replicas = List.copyOf(Objects.requireNonNull(replicas, "replicas"));
    }
}
