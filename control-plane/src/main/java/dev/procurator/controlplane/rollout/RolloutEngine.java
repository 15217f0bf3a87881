package dev.procurator.controlplane.rollout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.procurator.controlplane.assignment.Replica;
import dev.procurator.schema.blueprint.Blueprint;

/**
 * The rollout strategies, as a pure function of a rollout, the VM's replicas, what workers report and the time: no
 * I/O, so each strategy's behaviour is tested without a database or a worker. Meaning as in Nomad's {@code update}
 * block: a replica is healthy once its worker reported it healthy on the new closure for {@code minHealthyTime}; one
 * not healthy within {@code healthyDeadline} of its update, or no replica becoming healthy for
 * {@code progressDeadline}, fails the rollout; so does a replica reported unhealthy or failed.
 */
public final class RolloutEngine {

    private RolloutEngine() {
    }

    /** The replicas a rollout starts with: a new VM's are all created; a rolling one's count is adjusted. */
    public static List<Step.Change> initialChanges(Rollout rollout, List<Replica> replicas) {
        List<Step.Change> changes = new ArrayList<>();
        int desired = rollout.toSpec().replicas();
        List<Replica> live = live(replicas);
        if (live.isEmpty() || rollout.fromSpec() == null) {
            for (Replica old : live) {
                changes.add(new Step.Remove(old));
            }
            for (int id = rollout.newBase(); id < rollout.newBase() + desired; id++) {
                changes.add(new Step.Create(id, rollout.toClosure(), rollout.generation(), rollout.toSpec()));
            }
            return changes;
        }
        if (rollout.strategyType().equals("rolling")) {
            for (Replica old : live) {
                if (old.replica() >= desired) {
                    changes.add(new Step.Remove(old));
                }
            }
            for (int id = 0; id < desired; id++) {
                int wanted = id;
                if (live.stream().noneMatch(r -> r.replica() == wanted)) {
                    changes.add(new Step.Create(id, rollout.toClosure(), rollout.generation(), rollout.toSpec()));
                }
            }
        }
        return changes;
    }

    /** The first replica id of a new set: above every replica the VM has. */
    public static int nextBase(List<Replica> replicas) {
        return replicas.stream().mapToInt(Replica::replica).max().orElse(-1) + 1;
    }

    public static Step step(Rollout rollout, List<Replica> replicas, Map<Integer, Observed> observed, long now) {
        if (rollout.state().finished() || rollout.state() == RolloutState.PENDING) {
            return new Step(rollout, List.of(), null, null);
        }
        return new Run(rollout, live(replicas), observed, now).step();
    }

    private static List<Replica> live(List<Replica> replicas) {
        return replicas.stream().filter(r -> r.retireAt() == null).sorted(Comparator.comparingInt(Replica::replica))
                .toList();
    }

    /** One step's working state. */
    private static final class Run {
        private final Rollout rollout;
        private final List<Replica> replicas;
        private final Map<Integer, Observed> observed;
        private final long now;
        private final Blueprint.Strategy strategy;
        private final boolean back;
        private final String target;
        private final long generation;
        private final Blueprint.Vm spec;
        private final List<Step.Change> changes = new ArrayList<>();
        private Rollout updated;

        Run(Rollout rollout, List<Replica> replicas, Map<Integer, Observed> observed, long now) {
            this.rollout = rollout;
            this.replicas = replicas;
            this.observed = observed;
            this.now = now;
            this.strategy = rollout.strategy();
            this.back = rollout.state() == RolloutState.ROLLING_BACK;
            this.target = back ? rollout.fromClosure() : rollout.toClosure();
            this.generation = back ? rollout.fromGeneration() : rollout.generation();
            this.spec = back ? rollout.fromSpec() : rollout.toSpec();
            this.updated = rollout;
        }

        Step step() {
            if (back) {
                return rollBack();
            }
            return switch (rollout.strategyType()) {
                case "blue-green" -> blueGreen();
                case "canary" -> canary();
                default -> inPlace(replicas, rollout.toSpec().replicas());
            };
        }

        /** Back to the previous closure: a new set that never took over goes; in-place replicas are swapped back. */
        private Step rollBack() {
            List<Replica> kept = new ArrayList<>();
            for (Replica replica : replicas) {
                if (replica.replica() >= rollout.newBase() && !rollout.strategyType().equals("rolling")) {
                    changes.add(new Step.Remove(replica));
                } else {
                    kept.add(replica);
                }
            }
            return inPlace(kept, spec == null ? kept.size() : Math.min(spec.replicas(), kept.size()));
        }

        /** Replaces replicas where they run, {@code maxParallel} at a time, each waiting for health. */
        private Step inPlace(List<Replica> set, int desired) {
            Step failure = failure(set);
            if (failure != null) {
                return failure;
            }
            int onTarget = 0;
            int healthy = 0;
            for (Replica replica : set) {
                if (replica.isOn(target)) {
                    onTarget++;
                    if (healthy(replica)) {
                        healthy++;
                    }
                }
            }
            int inFlight = onTarget - healthy;
            if (active()) {
                for (Replica replica : set) {
                    if (inFlight >= strategy.maxParallel()) {
                        break;
                    }
                    if (!replica.isOn(target)) {
                        changes.add(new Step.Update(replica, target, generation, back ? "" : replica.storePath(), spec));
                        onTarget++;
                        inFlight++;
                    }
                }
            }
            counted(onTarget, healthy, desired);
            if (healthy == set.size() && healthy >= desired && active()) {
                return done(back ? Transition.ROLLED_BACK_DONE : Transition.SUCCEED,
                        back ? "all " + healthy + " replicas run the previous closure again"
                                : "all " + healthy + " replicas healthy");
            }
            return progressDeadline();
        }

        /** The new set beside the old, {@code maxParallel} at a time; once all are healthy the old set retires. */
        private Step blueGreen() {
            int desired = rollout.toSpec().replicas();
            List<Replica> newSet = replicas.stream().filter(r -> r.replica() >= rollout.newBase()).toList();
            Step failure = failure(newSet);
            if (failure != null) {
                return failure;
            }
            int healthy = (int) newSet.stream().filter(this::healthy).count();
            int inFlight = newSet.size() - healthy;
            int created = newSet.size();
            int nextId = rollout.newBase() + created;
            while (active() && created < desired && inFlight < strategy.maxParallel()) {
                changes.add(new Step.Create(nextId++, target, generation, spec));
                created++;
                inFlight++;
            }
            counted(created, healthy, desired);
            if (healthy >= desired && active()) {
                long keepOld = strategy.keepOld() == null ? 0 : strategy.keepOld();
                for (Replica old : replicas) {
                    if (old.replica() < rollout.newBase()) {
                        changes.add(new Step.Retire(old, now + keepOld * 1000));
                    }
                }
                return done(Transition.SUCCEED, "switched to the new set of " + healthy
                        + " replicas; the old set stops in " + keepOld + "s");
            }
            return progressDeadline();
        }

        /** Canaries beside the old replicas; after promotion (operator or automatic) the rest roll in place. */
        private Step canary() {
            int desired = rollout.toSpec().replicas();
            int canaries = Math.min(strategy.canaryReplicas() == null ? 1 : strategy.canaryReplicas(), desired);
            List<Replica> newSet = replicas.stream().filter(r -> r.replica() >= rollout.newBase()).toList();
            List<Replica> oldSet = replicas.stream().filter(r -> r.replica() < rollout.newBase()).toList();
            if (rollout.promoted()) {
                int keepOld = Math.max(0, desired - newSet.size());
                List<Replica> set = new ArrayList<>(newSet);
                for (int i = 0; i < oldSet.size(); i++) {
                    if (i < keepOld) {
                        set.add(oldSet.get(i));
                    } else {
                        changes.add(new Step.Remove(oldSet.get(i)));
                    }
                }
                return inPlace(set, desired);
            }
            Step failure = failure(newSet);
            if (failure != null) {
                return failure;
            }
            for (int id = rollout.newBase() + newSet.size(); id < rollout.newBase() + canaries; id++) {
                changes.add(new Step.Create(id, target, generation, spec));
            }
            int healthy = (int) newSet.stream().filter(this::healthy).count();
            counted(canaries, healthy, desired);
            if (healthy < canaries) {
                return rollout.state() == RolloutState.PAUSED ? result(null, null) : progressDeadline();
            }
            boolean autoPromote = Boolean.TRUE.equals(strategy.autoPromote());
            if (!autoPromote) {
                return rollout.state() == RolloutState.IN_PROGRESS
                        ? done(Transition.AWAIT_PROMOTION, canaries + " canary replica(s) healthy; waiting for promote")
                        : result(null, null);
            }
            long since = rollout.canaryHealthyAt() == null ? now : rollout.canaryHealthyAt();
            long promoteAfter = (strategy.promoteAfter() == null ? 0 : strategy.promoteAfter()) * 1000L;
            if (now - since >= promoteAfter && active()) {
                updated = updated.withPromotion(true, since);
                return done(Transition.PROMOTE, "canaries healthy for " + (now - since) / 1000 + "s: promoted");
            }
            updated = updated.withPromotion(false, since);
            return result(null, null);
        }

        /** An unhealthy replica or a passed healthy deadline fails the rollout (or rolls it back). */
        private Step failure(List<Replica> set) {
            for (Replica replica : set) {
                if (!replica.isOn(target)) {
                    continue;
                }
                Observed seen = observed.get(replica.replica());
                if (seen != null && seen.failedOn(target)) {
                    return fail("replica " + replica.replica() + " on " + replica.workerId() + " failed: "
                            + (seen.message() == null || seen.message().isBlank() ? seen.health().name().toLowerCase()
                            : seen.message()));
                }
                long deadline = strategy.healthyDeadline() * 1000L;
                if (active() && !healthy(replica) && now - replica.updatedAt() > deadline) {
                    return fail("replica " + replica.replica() + " not healthy within the healthy deadline ("
                            + strategy.healthyDeadline() + "s)"
                            + (replica.workerId() == null ? ": " + replica.unplacedReason() : ""));
                }
            }
            return null;
        }

        private Step progressDeadline() {
            if (active() && now - updated.lastProgressAt() > strategy.progressDeadline() * 1000L) {
                return fail("no replica became healthy within the progress deadline (" + strategy.progressDeadline()
                        + "s)");
            }
            return result(null, null);
        }

        private Step fail(String reason) {
            changes.clear();
            if (!back && rollout.autoRollback() && rollout.fromSpec() != null) {
                return result(Transition.ROLL_BACK, reason + "; rolling back to generation " + rollout.fromGeneration());
            }
            return result(Transition.FAIL, reason);
        }

        private Step done(Transition transition, String reason) {
            return result(transition, reason);
        }

        private Step result(Transition transition, String reason) {
            return new Step(updated, List.copyOf(changes), transition, reason);
        }

        private void counted(int onTarget, int healthy, int total) {
            if (healthy > updated.healthyReplicas()) {
                updated = updated.withProgressAt(now);
            }
            updated = updated.withCounts(onTarget, healthy, total);
        }

        /** Paused rollouts (an operator's pause, a canary awaiting promotion) only watch for failures. */
        private boolean active() {
            return rollout.state() == RolloutState.IN_PROGRESS || rollout.state() == RolloutState.ROLLING_BACK;
        }

        private boolean healthy(Replica replica) {
            return replica.isOn(target) && replica.healthyFor(strategy.minHealthyTime() * 1000L, now);
        }
    }
}
