package dev.procurator.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.procurator.controlplane.assignment.Replica;
import dev.procurator.controlplane.testing.Blueprints;
import dev.procurator.schema.Common;
import dev.procurator.schema.blueprint.Blueprint;

/**
 * The rollout strategies as a pure function: a small in-memory cluster applies each step's changes, places new
 * replicas at once, and reports health as the test decides.
 */
class RolloutEngineTest {

    private static final String OLD = "/nix/store/old-web";
    private static final String NEW = "/nix/store/new-web";

    /** An in-memory VM: its replicas, the health its workers report, the clock. */
    private static final class Cluster {
        final List<Replica> replicas = new ArrayList<>();
        final Map<String, Common.Health> healthOf = new HashMap<>();
        final List<Transition> transitions = new ArrayList<>();
        Rollout rollout;
        long now = 1_000_000;

        Cluster(Rollout rollout, int oldReplicas) {
            this.rollout = rollout;
            for (int i = 0; i < oldReplicas; i++) {
                replicas.add(new Replica("web", i, "acme/shop@main", 1, OLD, "", rollout.fromSpec(), "w" + i, null,
                        0, null, 0L));
            }
            healthOf.put(OLD, Common.Health.HEALTHY);
            apply(RolloutEngine.initialChanges(rollout, replicas));
            this.rollout = rollout.withState(Transition.START.apply(rollout.state()), "start", now);
        }

        /** Healthy replicas report; steps until nothing changes; returns the last transition (or null). */
        Transition run() {
            Transition last = null;
            for (int i = 0; i < 50; i++) {
                report();
                Step step = RolloutEngine.step(rollout, replicas, observed(), now);
                apply(step.changes());
                rollout = step.rollout();
                if (step.transition() != null) {
                    last = step.transition();
                    transitions.add(last);
                    rollout = rollout.withState(step.transition().apply(rollout.state()), step.reason(), now);
                    if (step.transition() == Transition.PROMOTE) {
                        rollout = rollout.withPromotion(true, rollout.canaryHealthyAt());
                    }
                } else if (step.changes().isEmpty()) {
                    return last;
                }
                now += 100;
            }
            return last;
        }

        void report() {
            for (int i = 0; i < replicas.size(); i++) {
                Replica r = replicas.get(i);
                boolean healthy = healthOf.getOrDefault(r.storePath(), Common.Health.UNKNOWN) == Common.Health.HEALTHY;
                Long since = healthy ? (r.healthySince() == null ? now : r.healthySince()) : null;
                replicas.set(i, new Replica(r.vm(), r.replica(), r.source(), r.generation(), r.storePath(),
                        r.previousStorePath(), r.spec(), r.workerId(), null, r.updatedAt(), r.retireAt(), since));
            }
        }

        Map<Integer, Observed> observed() {
            Map<Integer, Observed> observed = new HashMap<>();
            for (Replica r : replicas) {
                Common.Health health = healthOf.getOrDefault(r.storePath(), Common.Health.UNKNOWN);
                observed.put(r.replica(), new Observed(r.storePath(), health == Common.Health.UNHEALTHY
                        ? Common.VmPhase.FAILED : Common.VmPhase.RUNNING, health, "",
                        health == Common.Health.UNHEALTHY ? "HTTP 503" : ""));
            }
            return observed;
        }

        void apply(List<Step.Change> changes) {
            for (Step.Change change : changes) {
                switch (change) {
                    case Step.Create c -> replicas.add(new Replica("web", c.replica(), "acme/shop@main",
                            c.generation(), c.storePath(), "", c.spec(), "w" + c.replica(), null, now, null, null));
                    case Step.Update u -> replace(u.replica(), new Replica("web", u.replica().replica(),
                            "acme/shop@main", u.generation(), u.storePath(), u.previousStorePath(), u.spec(),
                            u.replica().workerId(), null, now, null, null));
                    case Step.Remove r -> replicas.removeIf(x -> x.replica() == r.replica().replica());
                    case Step.Retire r -> replace(r.replica(), new Replica("web", r.replica().replica(),
                            "acme/shop@main", r.replica().generation(), r.replica().storePath(), "",
                            r.replica().spec(), r.replica().workerId(), null, r.replica().updatedAt(), r.at(),
                            r.replica().healthySince()));
                }
            }
        }

        private void replace(Replica old, Replica next) {
            replicas.replaceAll(r -> r.replica() == old.replica() ? next : r);
        }

        List<String> closures() {
            return replicas.stream().filter(r -> r.retireAt() == null).map(Replica::storePath).toList();
        }

    }

    private static Rollout rollout(Blueprint.Strategy strategy, int replicas, int oldReplicas, boolean autoRollback) {
        Blueprint.Vm to = Blueprints.vm(1, 512, replicas, strategy, autoRollback);
        Blueprint.Vm from = Blueprints.vm(1, 512, oldReplicas, strategy, autoRollback);
        int base = strategy.type().equals("rolling") ? 0 : oldReplicas;
        return new Rollout(7, "web", "acme/shop@main", RolloutState.PENDING, "", 2, 1, NEW, OLD, to, from, base,
                !strategy.type().equals("canary"), null, 0, 0, replicas, 1_000_000, 1_000_000, 1_000_000);
    }

    // ------------------------------------------------------------------ rolling

    @Test
    void rollingReplacesInPlaceAtMostMaxParallelAtATime() {
        Cluster cluster = new Cluster(rollout(Blueprints.rolling(2), 5, 5, true), 5);
        cluster.healthOf.put(NEW, Common.Health.UNKNOWN);
        cluster.report();
        Step first = RolloutEngine.step(cluster.rollout, cluster.replicas, cluster.observed(), cluster.now);
        assertThat(first.changes()).hasSize(2).allSatisfy(c -> assertThat(c).isInstanceOf(Step.Update.class));
        assertThat(first.changes()).allSatisfy(c -> assertThat(((Step.Update) c).previousStorePath()).isEqualTo(OLD));
        cluster.apply(first.changes());
        // nothing more while the batch is not healthy
        Step waiting = RolloutEngine.step(first.rollout(), cluster.replicas, cluster.observed(), cluster.now + 100);
        assertThat(waiting.changes()).isEmpty();
        assertThat(waiting.transition()).isNull();

        cluster.rollout = first.rollout();
        cluster.healthOf.put(NEW, Common.Health.HEALTHY);
        assertThat(cluster.run()).isEqualTo(Transition.SUCCEED);
        assertThat(cluster.closures()).hasSize(5).containsOnly(NEW);
        assertThat(cluster.rollout.healthyReplicas()).isEqualTo(5);
    }

    @Test
    void rollingWaitsForMinHealthyTime() {
        Cluster cluster = new Cluster(rollout(Blueprints.rolling(1, 5, 20, 40), 1, 1, true), 1);
        cluster.healthOf.put(NEW, Common.Health.HEALTHY);
        Step update = RolloutEngine.step(cluster.rollout, cluster.replicas, cluster.observed(), cluster.now);
        cluster.apply(update.changes());
        cluster.report();
        Step early = RolloutEngine.step(update.rollout(), cluster.replicas, cluster.observed(), cluster.now + 4_000);
        assertThat(early.transition()).isNull();
        Step late = RolloutEngine.step(update.rollout(), cluster.replicas, cluster.observed(), cluster.now + 5_000);
        assertThat(late.transition()).isEqualTo(Transition.SUCCEED);
    }

    @Test
    void unhealthyReplicaRollsBackWithAutoRollback() {
        Cluster cluster = new Cluster(rollout(Blueprints.rolling(1), 3, 3, true), 3);
        cluster.healthOf.put(NEW, Common.Health.UNHEALTHY);
        cluster.report();
        Step failed = RolloutEngine.step(cluster.rollout, cluster.replicas, cluster.observed(), cluster.now);
        cluster.apply(failed.changes());
        Step next = RolloutEngine.step(failed.rollout(), cluster.replicas, cluster.observed(), cluster.now + 100);
        assertThat(next.transition()).isEqualTo(Transition.ROLL_BACK);
        assertThat(next.reason()).contains("replica 0").contains("HTTP 503").contains("rolling back to generation 1");
        cluster.rollout = next.rollout().withState(RolloutState.ROLLING_BACK, next.reason(), cluster.now);
        assertThat(cluster.run()).isEqualTo(Transition.ROLLED_BACK_DONE);
        assertThat(cluster.closures()).containsOnly(OLD).hasSize(3);
        assertThat(cluster.replicas).allSatisfy(r -> assertThat(r.previousStorePath()).isNotEqualTo(NEW));
    }

    @Test
    void unhealthyReplicaFailsWithoutAutoRollback() {
        Cluster cluster = new Cluster(rollout(Blueprints.rolling(1), 2, 2, false), 2);
        cluster.healthOf.put(NEW, Common.Health.UNHEALTHY);
        assertThat(cluster.run()).isEqualTo(Transition.FAIL);
        assertThat(cluster.rollout.state()).isEqualTo(RolloutState.FAILED);
        // replicas already replaced stay; the rest were never touched
        assertThat(cluster.closures()).containsExactly(NEW, OLD);
    }

    @Test
    void passedHealthyDeadlineFails() {
        Cluster cluster = new Cluster(rollout(Blueprints.rolling(1, 0, 2, 40), 2, 2, false), 2);
        cluster.healthOf.put(NEW, Common.Health.UNKNOWN);
        Step update = RolloutEngine.step(cluster.rollout, cluster.replicas, cluster.observed(), cluster.now);
        cluster.apply(update.changes());
        assertThat(RolloutEngine.step(update.rollout(), cluster.replicas, cluster.observed(), cluster.now + 2_000)
                .transition()).isNull();
        Step late = RolloutEngine.step(update.rollout(), cluster.replicas, cluster.observed(), cluster.now + 2_001);
        assertThat(late.transition()).isEqualTo(Transition.FAIL);
        assertThat(late.reason()).contains("healthy deadline (2s)");
    }

    @Test
    void passedProgressDeadlineFails() {
        Cluster cluster = new Cluster(rollout(Blueprints.rolling(1, 0, 20, 30), 2, 2, true), 2);
        cluster.healthOf.put(NEW, Common.Health.UNKNOWN);
        Step step = RolloutEngine.step(cluster.rollout, cluster.replicas, cluster.observed(), cluster.now + 30_001);
        // the healthy deadline (20 s since the update) has not passed for a replica updated just now
        assertThat(step.transition()).isEqualTo(Transition.ROLL_BACK);
        assertThat(step.reason()).contains("progress deadline (30s)");
    }

    @Test
    void pausedRolloutReplacesNothingButResumes() {
        Cluster cluster = new Cluster(rollout(Blueprints.rolling(1), 2, 2, true), 2);
        cluster.rollout = cluster.rollout.withState(Transition.PAUSE.apply(cluster.rollout.state()), "pause", 0);
        cluster.healthOf.put(NEW, Common.Health.HEALTHY);
        assertThat(cluster.run()).isNull();
        assertThat(cluster.closures()).containsOnly(OLD);
        cluster.rollout = cluster.rollout.withState(Transition.RESUME.apply(cluster.rollout.state()), "resume", 0);
        assertThat(cluster.run()).isEqualTo(Transition.SUCCEED);
        assertThat(cluster.closures()).containsOnly(NEW);
    }

    @Test
    void replicaCountChangesOnRolling() {
        Cluster cluster = new Cluster(rollout(Blueprints.rolling(1), 4, 2, true), 2);
        cluster.healthOf.put(NEW, Common.Health.HEALTHY);
        assertThat(cluster.run()).isEqualTo(Transition.SUCCEED);
        assertThat(cluster.closures()).hasSize(4).containsOnly(NEW);
    }

    // ------------------------------------------------------------------ blue-green

    @Test
    void blueGreenStartsANewSetThenRetiresTheOld() {
        Cluster cluster = new Cluster(rollout(Blueprints.blueGreen(2, 60), 3, 3, true), 3);
        cluster.healthOf.put(NEW, Common.Health.UNKNOWN);
        Step first = RolloutEngine.step(cluster.rollout, cluster.replicas, cluster.observed(), cluster.now);
        assertThat(first.changes()).hasSize(2).allSatisfy(c -> assertThat(c).isInstanceOf(Step.Create.class));
        assertThat(first.changes()).extracting(c -> ((Step.Create) c).replica()).containsExactly(3, 4);
        cluster.healthOf.put(NEW, Common.Health.HEALTHY);
        assertThat(cluster.run()).isEqualTo(Transition.SUCCEED);
        assertThat(cluster.replicas).filteredOn(r -> r.retireAt() == null).extracting(Replica::replica)
                .containsExactly(3, 4, 5);
        assertThat(cluster.replicas).filteredOn(r -> r.retireAt() != null)
                .allSatisfy(r -> {
                    assertThat(r.storePath()).isEqualTo(OLD);
                    assertThat(r.retireAt()).isGreaterThan(cluster.now);
                }).hasSize(3);
        assertThat(cluster.rollout.reason()).contains("switched");
    }

    @Test
    void blueGreenFailureDropsTheNewSetAndKeepsTheOld() {
        Cluster cluster = new Cluster(rollout(Blueprints.blueGreen(3, 60), 3, 3, true), 3);
        cluster.healthOf.put(NEW, Common.Health.UNHEALTHY);
        assertThat(cluster.run()).isEqualTo(Transition.ROLLED_BACK_DONE);
        assertThat(cluster.transitions).containsExactly(Transition.ROLL_BACK, Transition.ROLLED_BACK_DONE);
        assertThat(cluster.replicas).extracting(Replica::replica).containsExactly(0, 1, 2);
        assertThat(cluster.closures()).containsOnly(OLD);
    }

    // ------------------------------------------------------------------ canary

    @Test
    void canaryWaitsForPromotionThenReplacesTheRest() {
        Cluster cluster = new Cluster(rollout(Blueprints.canary(1, false, 0), 3, 3, true), 3);
        cluster.healthOf.put(NEW, Common.Health.HEALTHY);
        assertThat(cluster.run()).isEqualTo(Transition.AWAIT_PROMOTION);
        assertThat(cluster.rollout.state()).isEqualTo(RolloutState.PAUSED);
        assertThat(cluster.closures()).containsExactlyInAnyOrder(OLD, OLD, OLD, NEW);
        assertThat(cluster.rollout.reason()).contains("waiting for promote");

        cluster.rollout = cluster.rollout.withState(Transition.PROMOTE.apply(cluster.rollout.state()), "operator", 0)
                .withPromotion(true, null);
        assertThat(cluster.run()).isEqualTo(Transition.SUCCEED);
        assertThat(cluster.closures()).hasSize(3).containsOnly(NEW);
    }

    @Test
    void canaryPromotesItselfAfterPromoteAfter() {
        Cluster cluster = new Cluster(rollout(Blueprints.canary(1, true, 1), 2, 2, true), 2);
        cluster.healthOf.put(NEW, Common.Health.HEALTHY);
        Transition last = null;
        for (int i = 0; i < 5 && last != Transition.SUCCEED; i++) {
            Transition t = cluster.run();
            last = t == null ? last : t;
            cluster.now += 1_000;
        }
        assertThat(last).isEqualTo(Transition.SUCCEED);
        assertThat(cluster.closures()).hasSize(2).containsOnly(NEW);
    }

    @Test
    void unhealthyCanaryRollsBack() {
        Cluster cluster = new Cluster(rollout(Blueprints.canary(1, false, 0), 3, 3, true), 3);
        cluster.healthOf.put(NEW, Common.Health.UNHEALTHY);
        assertThat(cluster.run()).isEqualTo(Transition.ROLLED_BACK_DONE);
        assertThat(cluster.transitions).containsExactly(Transition.ROLL_BACK, Transition.ROLLED_BACK_DONE);
        assertThat(cluster.closures()).hasSize(3).containsOnly(OLD);
    }

    // ------------------------------------------------------------------ the state machine

    @Test
    void transitionsAreOnlyTheNamedOnes() {
        assertThat(Transition.SUPERSEDE.apply(RolloutState.IN_PROGRESS)).isEqualTo(RolloutState.SUPERSEDED);
        assertThat(Transition.SUPERSEDE.apply(RolloutState.PAUSED)).isEqualTo(RolloutState.SUPERSEDED);
        assertThatThrownBy(() -> Transition.SUPERSEDE.apply(RolloutState.SUCCEEDED))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Transition.PAUSE.apply(RolloutState.PAUSED)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Transition.RESUME.apply(RolloutState.IN_PROGRESS))
                .isInstanceOf(IllegalStateException.class);
        assertThat(Transition.PROMOTE.apply(RolloutState.PAUSED)).isEqualTo(RolloutState.IN_PROGRESS);
        for (RolloutState finished : List.of(RolloutState.SUCCEEDED, RolloutState.FAILED, RolloutState.ROLLED_BACK,
                RolloutState.SUPERSEDED)) {
            assertThat(Transition.values()).noneMatch(t -> t.allowedFrom(finished));
        }
    }

    @Test
    void finishedRolloutsDoNothing() {
        Cluster cluster = new Cluster(rollout(Blueprints.rolling(1), 2, 2, true), 2);
        Rollout superseded = cluster.rollout.withState(RolloutState.SUPERSEDED, "newer", 0);
        Step step = RolloutEngine.step(superseded, cluster.replicas, cluster.observed(), cluster.now);
        assertThat(step.changes()).isEmpty();
        assertThat(step.transition()).isNull();
    }
}
