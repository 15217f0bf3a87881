package dev.procurator.controlplane.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The plan loop: decides requests one at a time against a {@link ClusterView}, committing each placement to it so
 * later decisions see the capacity it took and the replica it added (anti-affinity). One decision costs one pass
 * over the Ready workers with the request's labels: O(workers), never O(workers × placements).
 */
final class Planner {

    private final ClusterView view;
    private final Scoring scoring;
    /** Scratch: replicas of the VM being decided per worker index, filled from the view and cleared after. */
    private final int[] collisions;
    private final List<Placement> placements = new ArrayList<>();
    private final List<Unplaced> unplaced = new ArrayList<>();

    Planner(ScoringPolicy policy, ClusterState state) {
        this.view = new ClusterView(state);
        this.scoring = new Scoring(policy);
        this.collisions = new int[view.size()];
    }

    /** Places {@code request} on the best feasible worker, or records why none can take it. */
    void decide(ReplicaRequest request) {
        int worker = bestWorker(request);
        if (worker < 0) {
            unplaced.add(new Unplaced(request, UnplacedReason.explain(view, request)));
        } else {
            view.allocate(worker, request);
            placements.add(new Placement(request, view.id(worker)));
        }
    }

    Plan plan() {
        return new Plan(placements, unplaced);
    }

    private int bestWorker(ReplicaRequest request) {
        long milliCpu = ClusterView.milliCpu(request.cpu());
        long memoryMb = request.memoryMb();
        Map<Integer, Integer> replicas = view.replicasOf(request.vm());
        replicas.forEach((worker, count) -> collisions[worker] = count);
        int best = -1;
        int bestCollisions = Integer.MAX_VALUE;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int worker : Feasibility.candidates(view, request)) {
            if (Feasibility.hasRoom(view, worker, milliCpu, memoryMb)) {
                double score = scoring.fitScore(view, worker, milliCpu, memoryMb);
                if (Scoring.better(collisions[worker], score, bestCollisions, bestScore)) {
                    best = worker;
                    bestCollisions = collisions[worker];
                    bestScore = score;
                }
            }
        }
        replicas.keySet().forEach(worker -> collisions[worker] = 0);
        return best;
    }
}
