package dev.procurator.controlplane.rollout;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.procurator.controlplane.assignment.ObservedStore;
import dev.procurator.controlplane.assignment.Placer;
import dev.procurator.controlplane.assignment.Replica;
import dev.procurator.controlplane.assignment.ReplicaStore;
import dev.procurator.controlplane.event.EventLog;
import dev.procurator.controlplane.generation.Generation;
import dev.procurator.controlplane.generation.GenerationStore;
import dev.procurator.controlplane.generation.VmStore;
import dev.procurator.schema.blueprint.Blueprint;

/**
 * Drives rollouts: starts them when a generation changes a VM, advances them by {@link RolloutEngine} on every tick
 * and every report, applies operator calls, and persists every transition with its time and reason. Every method runs
 * inside the single writer ({@code LeaderWrites}).
 */
@Component
public class Rollouts {

    /** An operator's call refused in the rollout's current state (HTTP 409, RPC "conflict: "). */
    public static class ConflictException extends RuntimeException {
        public ConflictException(String message) {
            super(message);
        }
    }

    /** An operator's call about something that does not exist (HTTP 404, RPC "not_found: "). */
    public static class NotFoundException extends RuntimeException {
        public NotFoundException(String message) {
            super(message);
        }
    }

    private final RolloutStore store;
    private final ReplicaStore replicas;
    private final ObservedStore observed;
    private final VmStore vms;
    private final GenerationStore generations;
    private final Placer placer;
    private final EventLog events;

    Rollouts(RolloutStore store, ReplicaStore replicas, ObservedStore observed, VmStore vms,
             GenerationStore generations, Placer placer, EventLog events) {
        this.store = store;
        this.replicas = replicas;
        this.observed = observed;
        this.vms = vms;
        this.generations = generations;
        this.placer = placer;
        this.events = events;
    }

    /**
     * Rolls a VM from its current closure to a generation's; supersedes the VM's unfinished rollout.
     *
     * @param from the VM's current desired state, null for a new VM
     */
    public Rollout start(String vm, VmStore.DesiredVm from, Generation to, long now) {
        Blueprint.Vm toSpec = to.blueprint().get(vm);
        supersede(vm, "superseded by generation " + to.number(), now);
        List<Replica> current = replicas.ofVm(vm);
        boolean fresh = from == null || current.stream().noneMatch(r -> r.retireAt() == null);
        String strategy = toSpec.deployment().strategy().type();
        int base = fresh || strategy.equals("rolling") ? (fresh ? RolloutEngine.nextBase(current) : 0)
                : RolloutEngine.nextBase(current);
        Rollout rollout = new Rollout(0, vm, to.source(), RolloutState.PENDING, "generation " + to.number()
                + " (" + shortCommit(to.gitCommit()) + ")", to.number(), from == null ? 0 : from.generation(),
                to.closures().get(vm), from == null ? "" : from.closure(), toSpec, fresh ? null : from.spec(), base,
                fresh || !strategy.equals("canary"), null, 0, 0, toSpec.replicas(), now, now, now);
        rollout = rollout.withId(store.insert(rollout));
        store.transition(rollout.id(), now, null, RolloutState.PENDING, rollout.reason());
        vms.put(new VmStore.DesiredVm(vm, to.source(), to.number(), rollout.toClosure(), toSpec));
        apply(rollout, RolloutEngine.initialChanges(rollout, current), now);
        rollout = transition(rollout, Transition.START, (fresh ? "deploying " : "rolling out ") + toSpec.replicas()
                + " replica(s) of generation " + to.number() + " by " + strategy, now);
        return advance(rollout, now);
    }

    /** A VM no longer in its source's blueprint: its rollout is superseded and its replicas stop. */
    public void remove(String vm, long generation, long now) {
        supersede(vm, "the VM was removed in generation " + generation, now);
        for (Replica replica : replicas.ofVm(vm)) {
            replicas.remove(replica);
        }
        vms.delete(vm);
    }

    private void supersede(String vm, String reason, long now) {
        store.unfinished(vm).ifPresent(old -> {
            if (!old.strategyType().equals("rolling") && !old.promoted()
                    && old.state() != RolloutState.ROLLING_BACK) {
                // a new set that never took over: the next rollout starts from the old set
                for (Replica replica : replicas.ofVm(vm)) {
                    if (replica.replica() >= old.newBase() && replica.retireAt() == null) {
                        replicas.remove(replica);
                    }
                }
            }
            transition(old, Transition.SUPERSEDE, reason, now);
        });
    }

    /** Steps every unfinished rollout, removes retired replicas, places what is unplaced. */
    public void tick(long now) {
        for (Replica retired : replicas.retiredBy(now)) {
            replicas.remove(retired);
            events.record(EventLog.REPLICA_STOPPED, retired.source(), retired.vm(), retired.workerId(),
                    retired.generation(), null, "old replica " + retired.replica() + " stopped after the switch");
        }
        for (Rollout rollout : store.unfinished()) {
            advance(rollout, now);
        }
        placer.placeUnplaced(now);
    }

    /** Steps the unfinished rollout of each of these VMs (after a report about them). */
    public void advance(Iterable<String> vmNames, long now) {
        for (String vm : vmNames) {
            store.unfinished(vm).ifPresent(rollout -> advance(rollout, now));
        }
    }

    private Rollout advance(Rollout rollout, long now) {
        for (int i = 0; i < 4 && !rollout.state().finished(); i++) {
            placer.placeUnplaced(now);
            List<Replica> current = replicas.ofVm(rollout.vm());
            Step step = RolloutEngine.step(rollout, current, observed.ofVm(rollout.vm(), current), now);
            apply(step.rollout(), step.changes(), now);
            Rollout next = step.rollout();
            if (step.transition() == null) {
                if (!sameCounts(next, rollout) || !java.util.Objects.equals(next.canaryHealthyAt(),
                        rollout.canaryHealthyAt())) {
                    next = next.withState(next.state(), next.reason(), now);
                    store.update(next);
                }
                return next;
            }
            rollout = transition(next, step.transition(), step.reason(), now);
        }
        return rollout;
    }

    private static boolean sameCounts(Rollout a, Rollout b) {
        return a.updatedReplicas() == b.updatedReplicas() && a.healthyReplicas() == b.healthyReplicas()
                && a.totalReplicas() == b.totalReplicas() && a.lastProgressAt() == b.lastProgressAt();
    }

    private void apply(Rollout rollout, List<Step.Change> changes, long now) {
        for (Step.Change change : changes) {
            switch (change) {
                case Step.Create c -> replicas.create(rollout.vm(), c.replica(), rollout.source(), c.generation(),
                        c.storePath(), c.spec(), now);
                case Step.Update u -> {
                    replicas.update(u.replica(), u.generation(), u.storePath(), u.previousStorePath(), u.spec(), now);
                    events.record(EventLog.REPLICA_STARTED, rollout.source(), rollout.vm(), u.replica().workerId(),
                            u.generation(), rollout.id(), "replica " + u.replica().replica() + " gets generation "
                                    + u.generation() + " (" + u.storePath() + ")");
                }
                case Step.Remove r -> replicas.remove(r.replica());
                case Step.Retire r -> replicas.retire(r.replica(), r.at());
            }
        }
    }

    /** Persists a transition with its time and reason (and the VM's desired closure when it rolls back). */
    private Rollout transition(Rollout rollout, Transition transition, String reason, long now) {
        RolloutState from = rollout.state();
        RolloutState to = transition.apply(from);
        Rollout next = rollout.withState(to, reason, now);
        if (transition == Transition.PROMOTE) {
            next = next.withPromotion(true, next.canaryHealthyAt());
        }
        if (to == RolloutState.IN_PROGRESS || to == RolloutState.ROLLING_BACK) {
            next = next.withProgressAt(now);
        }
        store.update(next);
        store.transition(rollout.id(), now, from, to, reason);
        if (transition == Transition.ROLL_BACK || transition == Transition.START_ROLLBACK) {
            vms.put(new VmStore.DesiredVm(rollout.vm(), rollout.source(), rollout.fromGeneration(),
                    rollout.fromClosure(), rollout.fromSpec()));
        }
        events.record(EventLog.ROLLOUT, rollout.source(), rollout.vm(), null, rollout.generation(), rollout.id(),
                from.label() + " -> " + to.label() + ": " + reason);
        return next;
    }

    // ------------------------------------------------------------------ operator calls

    public Rollout promote(String vm, long now) {
        Rollout rollout = current(vm);
        if (!rollout.strategyType().equals("canary") || rollout.promoted()
                || !Transition.PROMOTE.allowedFrom(rollout.state())) {
            throw new ConflictException("the rollout of " + vm + " is " + rollout.state().label()
                    + (rollout.strategyType().equals("canary") ? (rollout.promoted() ? " and already promoted" : "")
                    : " (" + rollout.strategyType() + ", not canary)") + ": nothing to promote");
        }
        return advance(transition(rollout, Transition.PROMOTE, "promoted by an operator", now), now);
    }

    public Rollout pause(String vm, long now) {
        Rollout rollout = current(vm);
        require(rollout, Transition.PAUSE, "pause");
        return transition(rollout, Transition.PAUSE, "paused by an operator", now);
    }

    public Rollout resume(String vm, long now) {
        Rollout rollout = current(vm);
        require(rollout, Transition.RESUME, "resume");
        if (rollout.strategyType().equals("canary") && !rollout.promoted() && rollout.healthyReplicas() > 0
                && rollout.reason().contains("waiting for promote")) {
            throw new ConflictException("the canaries of " + vm + " wait for promote, not resume");
        }
        return advance(transition(rollout, Transition.RESUME, "resumed by an operator", now), now);
    }

    /** @param toGeneration the source's generation to go back to; 0 = the last one whose rollout succeeded */
    public Rollout rollback(String vm, long toGeneration, long now) {
        VmStore.DesiredVm desired = vms.find(vm).orElseThrow(() -> new NotFoundException("no VM " + vm));
        long number = toGeneration == 0 ? previousSucceeded(vm, desired.generation()) : toGeneration;
        Generation generation = generations.find(desired.source(), number)
                .orElseThrow(() -> new NotFoundException(desired.source() + " has no generation " + number));
        Blueprint.Vm spec = generation.blueprint().get(vm);
        String closure = generation.closures().get(vm);
        if (spec == null || closure == null) {
            throw new ConflictException("generation " + number + " of " + desired.source() + " has no VM " + vm);
        }
        supersede(vm, "an operator rolls back to generation " + number, now);
        List<Replica> current = replicas.ofVm(vm);
        Rollout rollout = new Rollout(0, vm, desired.source(), RolloutState.PENDING,
                "rollback to generation " + number + " by an operator", desired.generation(), number,
                desired.closure(), closure, desired.spec(), spec, RolloutEngine.nextBase(current), true, null, 0, 0,
                spec.replicas(), now, now, now);
        rollout = rollout.withId(store.insert(rollout));
        store.transition(rollout.id(), now, null, RolloutState.PENDING, rollout.reason());
        rollout = transition(rollout, Transition.START_ROLLBACK, "rolling back to generation " + number
                + " by an operator", now);
        return advance(rollout, now);
    }

    private long previousSucceeded(String vm, long current) {
        return store.recent(vm, 1000).stream()
                .filter(r -> r.state() == RolloutState.SUCCEEDED && r.generation() != current)
                .map(Rollout::generation).findFirst()
                .orElseThrow(() -> new ConflictException("no earlier generation of " + vm
                        + " whose rollout succeeded; name one"));
    }

    private Rollout current(String vm) {
        vms.find(vm).orElseThrow(() -> new NotFoundException("no VM " + vm));
        return store.latest(vm).orElseThrow(() -> new NotFoundException("VM " + vm + " has no rollout"));
    }

    private static void require(Rollout rollout, Transition transition, String action) {
        if (!transition.allowedFrom(rollout.state())) {
            throw new ConflictException("cannot " + action + " the rollout of " + rollout.vm() + ": it is "
                    + rollout.state().label());
        }
    }

    private static String shortCommit(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
