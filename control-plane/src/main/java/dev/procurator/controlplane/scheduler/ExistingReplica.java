package dev.procurator.controlplane.scheduler;

/** A replica of {@code vm} already running (or assigned) on a worker: the scheduler keeps new replicas away from it. */
public record ExistingReplica(String vm, String workerId) {

    public ExistingReplica {
        Inputs.requireName(vm, "vm");
        Inputs.requireName(workerId, "worker id");
    }
}
