package dev.procurator.controlplane.rollout;

import dev.procurator.schema.Common;

/** What a replica's worker last reported about it (pushData). */
public record Observed(String storePath, Common.VmPhase phase, Common.Health health, String rolledBackFrom,
                       String message) {

    /** Failed on {@code closure}: its checks failed, it did not boot, or the worker restored the previous one. */
    public boolean failedOn(String closure) {
        boolean running = storePath.equals(closure);
        return running && (health == Common.Health.UNHEALTHY || phase == Common.VmPhase.FAILED)
                || closure.equals(rolledBackFrom);
    }
}
