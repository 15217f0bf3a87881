package dev.procurator.controlplane.rollout;

import java.util.List;

import dev.procurator.controlplane.assignment.Replica;
import dev.procurator.schema.blueprint.Blueprint;

/**
 * What one step of a rollout decided: replica changes to apply and, perhaps, a transition.
 *
 * @param rollout    the rollout with its counts, promotion and progress brought up to date
 * @param transition null when the state stays
 */
public record Step(Rollout rollout, List<Change> changes, Transition transition, String reason) {

    /** A change of the VM's desired replicas. */
    public sealed interface Change {
    }

    /** A new replica (unplaced until the scheduler places it). */
    public record Create(int replica, String storePath, long generation, Blueprint.Vm spec) implements Change {
    }

    /** A replica takes another closure where it runs. */
    public record Update(Replica replica, String storePath, long generation, String previousStorePath,
                         Blueprint.Vm spec) implements Change {
    }

    public record Remove(Replica replica) implements Change {
    }

    /** An old blue-green replica stays up until {@code at}, then is removed. */
    public record Retire(Replica replica, long at) implements Change {
    }
}
