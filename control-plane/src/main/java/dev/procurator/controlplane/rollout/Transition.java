package dev.procurator.controlplane.rollout;

import static dev.procurator.controlplane.rollout.RolloutState.FAILED;
import static dev.procurator.controlplane.rollout.RolloutState.IN_PROGRESS;
import static dev.procurator.controlplane.rollout.RolloutState.PAUSED;
import static dev.procurator.controlplane.rollout.RolloutState.PENDING;
import static dev.procurator.controlplane.rollout.RolloutState.ROLLED_BACK;
import static dev.procurator.controlplane.rollout.RolloutState.ROLLING_BACK;
import static dev.procurator.controlplane.rollout.RolloutState.SUCCEEDED;
import static dev.procurator.controlplane.rollout.RolloutState.SUPERSEDED;

import java.util.EnumSet;
import java.util.Set;

/** Every transition of the rollout state machine, in one place: the states it leaves and the one it enters. */
public enum Transition {
    START(EnumSet.of(PENDING), IN_PROGRESS),
    START_ROLLBACK(EnumSet.of(PENDING), ROLLING_BACK),
    PAUSE(EnumSet.of(IN_PROGRESS), PAUSED),
    AWAIT_PROMOTION(EnumSet.of(IN_PROGRESS), PAUSED),
    RESUME(EnumSet.of(PAUSED), IN_PROGRESS),
    PROMOTE(EnumSet.of(PAUSED, IN_PROGRESS), IN_PROGRESS),
    SUCCEED(EnumSet.of(IN_PROGRESS), SUCCEEDED),
    FAIL(EnumSet.of(IN_PROGRESS, PAUSED, ROLLING_BACK), FAILED),
    ROLL_BACK(EnumSet.of(IN_PROGRESS, PAUSED), ROLLING_BACK),
    ROLLED_BACK_DONE(EnumSet.of(ROLLING_BACK), ROLLED_BACK),
    SUPERSEDE(EnumSet.of(PENDING, IN_PROGRESS, PAUSED, ROLLING_BACK), SUPERSEDED);

    private final Set<RolloutState> from;
    private final RolloutState to;

    Transition(Set<RolloutState> from, RolloutState to) {
        this.from = from;
        this.to = to;
    }

    public boolean allowedFrom(RolloutState state) {
        return from.contains(state);
    }

    public RolloutState to() {
        return to;
    }

    /** @throws IllegalStateException when the state machine has no such edge */
    public RolloutState apply(RolloutState state) {
        if (!allowedFrom(state)) {
            throw new IllegalStateException("a rollout cannot " + name().toLowerCase(java.util.Locale.ROOT)
                    + " from " + state.label());
        }
        return to;
    }
}
