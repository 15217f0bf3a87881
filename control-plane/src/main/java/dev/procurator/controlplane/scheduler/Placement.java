package dev.procurator.controlplane.scheduler;

/** The scheduler's decision: {@code request} runs on {@code workerId}. */
public record Placement(ReplicaRequest request, String workerId) {
}
