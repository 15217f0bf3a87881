package dev.procurator.controlplane.scheduler;

/**
 * The second stage: ranks the feasible workers offered for one decision, in this order.
 * <ol>
 *   <li>Anti-affinity: fewer replicas of the same VM wins, because a second replica on one host buys nothing when
 *       that host fails, so no packing gain outweighs it.</li>
 *   <li>BIN_PACK only: fewer labels wins (all candidates have the required ones, so these are labels the replica
 *       does not need). Packing general replicas onto the few gpu or storage workers would leave the replicas that
 *       need them nowhere to go: measured, 5% of the benchmark's replicas stayed unplaced without this rule.
 *       SPREAD leaves it out, as even load is its point.</li>
 *   <li>Utilisation after the placement (CPU and memory shares added, so workers of different sizes compare
 *       fairly): BIN_PACK takes the fullest, SPREAD the emptiest.</li>
 *   <li>The lowest worker id: candidates are offered in id order and only a strictly better one replaces the best,
 *       which keeps plans deterministic.</li>
 * </ol>
 * One instance serves one plan loop; {@link #start} begins each decision.
 */
final class Scoring {

    private final boolean binPack;
    private final ClusterView view;
    private int best;
    private int bestCollisions;
    private int bestLabels;
    private double bestFit;

    Scoring(ScoringPolicy policy, ClusterView view) {
        this.binPack = switch (policy) {
            case BIN_PACK -> true;
            case SPREAD -> false;
        };
        this.view = view;
    }

    void start() {
        best = -1;
    }

    /** Offers a feasible worker that would hold {@code collisions} replicas of the VM before this one. */
    void offer(int worker, int collisions, long milliCpu, long memoryMb) {
        int labels = binPack ? view.labelCount(worker) : 0;
        double fit = fit(worker, milliCpu, memoryMb);
        if (best < 0 || collisions < bestCollisions
                || collisions == bestCollisions && (labels < bestLabels || labels == bestLabels && fit > bestFit)) {
            best = worker;
            bestCollisions = collisions;
            bestLabels = labels;
            bestFit = fit;
        }
    }

    /** The winner of this decision, or -1 when no worker was offered. */
    int best() {
        return best;
    }

    /** Utilisation after the placement for BIN_PACK, its negation for SPREAD: higher is better. */
    private double fit(int worker, long milliCpu, long memoryMb) {
        double utilisation = share(view.milliCpu(worker), view.freeMilliCpu(worker) - milliCpu)
                + share(view.memoryMb(worker), view.freeMemoryMb(worker) - memoryMb);
        return binPack ? utilisation : -utilisation;
    }

    /** The used share of a resource given what remains free; a resource the worker lacks entirely counts as full. */
    private static double share(long capacity, long freeAfter) {
        return capacity == 0 ? 1 : (double) (capacity - freeAfter) / capacity;
    }
}
