package dev.procurator.controlplane.worker;

import java.util.List;

import dev.procurator.schema.Common;

/**
 * A registered worker as stored.
 *
 * @param liveness ready, suspect or down, from its heartbeats
 * @param draining an operator drains it: it takes no replicas
 */
public record WorkerRecord(String id, String hostname, String address, String apiUrl, List<String> labels, double cpu,
                           long memoryMb, long diskMb, String agentVersion, Liveness liveness, boolean draining,
                           long lastHeartbeat, String metrics, long revision) {

    /** How a worker's heartbeats look to the master. */
    public enum Liveness { READY, SUSPECT, DOWN }

    /** The state shown (WorkerState): down and suspect win over draining. */
    public Common.WorkerState state() {
        return switch (liveness) {
            case DOWN -> Common.WorkerState.DOWN;
            case SUSPECT -> Common.WorkerState.SUSPECT;
            case READY -> draining ? Common.WorkerState.DRAINING : Common.WorkerState.READY;
        };
    }

    public String stateLabel() {
        return state().name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean acceptsReplicas() {
        return liveness == Liveness.READY && !draining;
    }
}
