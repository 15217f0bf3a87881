package dev.procurator.controlplane.scheduler;

/** A request no worker can take now, with the reason an operator can act on (what is missing, and where). */
public record Unplaced(ReplicaRequest request, String reason) {
}
