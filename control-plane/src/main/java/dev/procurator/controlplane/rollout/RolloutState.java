package dev.procurator.controlplane.rollout;

import dev.procurator.schema.Common;

/** The states of a rollout (common.capnp's {@code RolloutState}); their names are what the HTTP API shows. */
public enum RolloutState {
    PENDING("pending", Common.RolloutState.PENDING),
    IN_PROGRESS("inProgress", Common.RolloutState.IN_PROGRESS),
    PAUSED("paused", Common.RolloutState.PAUSED),
    SUCCEEDED("succeeded", Common.RolloutState.SUCCEEDED),
    FAILED("failed", Common.RolloutState.FAILED),
    ROLLED_BACK("rolledBack", Common.RolloutState.ROLLED_BACK),
    ROLLING_BACK("rollingBack", Common.RolloutState.ROLLING_BACK),
    SUPERSEDED("superseded", Common.RolloutState.SUPERSEDED);

    private final String label;
    private final Common.RolloutState capnp;

    RolloutState(String label, Common.RolloutState capnp) {
        this.label = label;
        this.capnp = capnp;
    }

    public String label() {
        return label;
    }

    public Common.RolloutState capnp() {
        return capnp;
    }

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == ROLLED_BACK || this == SUPERSEDED;
    }

    public static RolloutState ofLabel(String label) {
        for (RolloutState state : values()) {
            if (state.label.equals(label)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown rollout state " + label);
    }
}
