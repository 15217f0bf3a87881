package dev.procurator.controlplane.scheduler;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Places VM replicas on workers as a pure pipeline, after Nomad's: {@link Feasibility} (Ready, labels, free
 * capacity) → {@link Scoring} (anti-affinity, then bin-pack or spread) → a {@link Plan}, built by the
 * {@link Planner} loop. State in, plan out: no I/O, no clock, no randomness, so the same input always gives the same
 * plan, whatever the order of the workers. Requests are decided in the order given, each seeing the capacity and
 * replicas of the ones before it. Thread-safe: a call keeps all its state to itself.
 */
public final class Scheduler {

    private final ScoringPolicy policy;

    public Scheduler(ScoringPolicy policy) {
        if (policy == null) {
            throw new IllegalArgumentException("a scoring policy is required");
        }
        this.policy = policy;
    }

    /**
     * Decides every request: each one ends up either in {@link Plan#placements()} or, with the reason, in
     * {@link Plan#unplaced()}.
     *
     * @throws IllegalArgumentException when two workers share an id or a replica of a VM is requested twice
     */
    public Plan plan(ClusterState state, List<ReplicaRequest> requests) {
        requireDistinct(requests);
        Planner planner = new Planner(policy, state);
        requests.forEach(planner::decide);
        return planner.plan();
    }

    private static void requireDistinct(List<ReplicaRequest> requests) {
        record Key(String vm, int replica) {
        }
        Set<Key> seen = new HashSet<>();
        for (ReplicaRequest request : requests) {
            if (!seen.add(new Key(request.vm(), request.replica()))) {
                throw new IllegalArgumentException(
                        "replica " + request.replica() + " of " + request.vm() + " is requested twice");
            }
        }
    }
}
