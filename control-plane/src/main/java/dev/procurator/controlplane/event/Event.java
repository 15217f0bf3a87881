package dev.procurator.controlplane.event;

/**
 * One entry of the timeline: a generation published, a rollout's transition, a replica placed, unplaceable, healthy or
 * unhealthy, a worker's change of state. Fields that do not apply are null.
 */
public record Event(long id, long at, String kind, String source, String vm, String worker, Long generation,
                    Long rolloutId, String message) {
}
