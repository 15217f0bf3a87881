package dev.procurator.controlplane.assignment;

import dev.procurator.schema.blueprint.Blueprint;

/**
 * One desired replica: which closure of which generation should run where.
 *
 * @param workerId     null while unplaced ({@code unplacedReason} says why)
 * @param updatedAt    when it got this closure or this worker (the healthy deadline counts from here)
 * @param retireAt     for the old set of a blue-green rollout: when it is removed; null otherwise
 * @param healthySince since when its worker reports it healthy on this closure; null when not healthy
 */
public record Replica(String vm, int replica, String source, long generation, String storePath,
                      String previousStorePath, Blueprint.Vm spec, String workerId, String unplacedReason,
                      long updatedAt, Long retireAt, Long healthySince) {

    public boolean isOn(String closure) {
        return storePath.equals(closure);
    }

    public boolean healthyFor(long millis, long now) {
        return healthySince != null && now - healthySince >= millis;
    }
}
