package dev.procurator.controlplane.scheduler;

import java.util.Objects;
import java.util.Set;

/**
 * A worker as the scheduler sees it: whether it takes new replicas (Ready and not draining), its labels, its
 * capacity and what is already allocated on it. Allocation above capacity is allowed (a worker re-registered with
 * less capacity): such a worker simply has no room.
 */
public record WorkerCapacity(String id, boolean acceptsReplicas, Set<String> labels,
                             double cpu, long memoryMb, double cpuAllocated, long memoryMbAllocated) {

    public WorkerCapacity {
        Inputs.requireName(id, "worker id");
        labels = Set.copyOf(Objects.requireNonNull(labels, "labels"));
        Inputs.requireAmount(cpu, "cpu of worker " + id);
        Inputs.requireAmount(cpuAllocated, "cpuAllocated of worker " + id);
        Inputs.requireAmount(memoryMb, "memoryMb of worker " + id);
        Inputs.requireAmount(memoryMbAllocated, "memoryMbAllocated of worker " + id);
    }
}
