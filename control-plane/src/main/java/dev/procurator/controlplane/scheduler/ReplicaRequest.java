package dev.procurator.controlplane.scheduler;

import java.util.Objects;
import java.util.Set;

/** One replica of a VM to place, with its resources and the labels a worker must have to run it. */
public record ReplicaRequest(String vm, int replica, double cpu, long memoryMb, Set<String> requiredLabels) {

    public ReplicaRequest {
        Inputs.requireName(vm, "vm");
        if (replica < 0) {
            throw new IllegalArgumentException("replica of " + vm + " must be >= 0, was " + replica);
        }
        Inputs.requireAmount(cpu, "cpu of " + vm);
        Inputs.requireAmount(memoryMb, "memoryMb of " + vm);
        requiredLabels = Set.copyOf(Objects.requireNonNull(requiredLabels, "requiredLabels"));
    }
}
