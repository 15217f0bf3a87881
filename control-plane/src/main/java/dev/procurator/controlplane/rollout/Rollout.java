package dev.procurator.controlplane.rollout;

import dev.procurator.schema.blueprint.Blueprint;

/**
 * One VM's rollout from one closure to another, as persisted in {@code rollout}.
 *
 * @param toSpec        the VM's spec in the target generation; its strategy drives the rollout (and its rollback)
 * @param fromSpec      the spec of the generation being replaced; null when the VM is new
 * @param newBase       first replica id of the new set (blue-green, canary): ids below it are the old set
 * @param promoted      a canary rollout past its canaries (or a rollout without canaries)
 * @param canaryHealthyAt when all canaries were first seen healthy (auto-promotion counts from there)
 * @param lastProgressAt  when a replica last became healthy (the progress deadline counts from there)
 */
public record Rollout(long id, String vm, String source, RolloutState state, String reason, long generation,
                      long fromGeneration, String toClosure, String fromClosure, Blueprint.Vm toSpec,
                      Blueprint.Vm fromSpec, int newBase, boolean promoted, Long canaryHealthyAt, int updatedReplicas,
                      int healthyReplicas, int totalReplicas, long startedAt, long lastProgressAt, long updatedAt) {

    public Blueprint.Strategy strategy() {
        return toSpec.deployment().strategy();
    }

    public String strategyType() {
        return strategy().type();
    }

    public boolean autoRollback() {
        return toSpec.deployment().autoRollback();
    }

    public Rollout withId(long id) {
        return new Rollout(id, vm, source, state, reason, generation, fromGeneration, toClosure, fromClosure, toSpec,
                fromSpec, newBase, promoted, canaryHealthyAt, updatedReplicas, healthyReplicas, totalReplicas,
                startedAt, lastProgressAt, updatedAt);
    }

    public Rollout withCounts(int updated, int healthy, int total) {
        return new Rollout(id, vm, source, state, reason, generation, fromGeneration, toClosure, fromClosure, toSpec,
                fromSpec, newBase, promoted, canaryHealthyAt, updated, healthy, total, startedAt, lastProgressAt,
                updatedAt);
    }

    public Rollout withPromotion(boolean promoted, Long canaryHealthyAt) {
        return new Rollout(id, vm, source, state, reason, generation, fromGeneration, toClosure, fromClosure, toSpec,
                fromSpec, newBase, promoted, canaryHealthyAt, updatedReplicas, healthyReplicas, totalReplicas,
                startedAt, lastProgressAt, updatedAt);
    }

    public Rollout withProgressAt(long at) {
        return new Rollout(id, vm, source, state, reason, generation, fromGeneration, toClosure, fromClosure, toSpec,
                fromSpec, newBase, promoted, canaryHealthyAt, updatedReplicas, healthyReplicas, totalReplicas,
                startedAt, at, updatedAt);
    }

    public Rollout withState(RolloutState state, String reason, long at) {
        return new Rollout(id, vm, source, state, reason, generation, fromGeneration, toClosure, fromClosure, toSpec,
                fromSpec, newBase, promoted, canaryHealthyAt, updatedReplicas, healthyReplicas, totalReplicas,
                startedAt, lastProgressAt, at);
    }
}
