package dev.procurator.controlplane.scheduler;

/**
 * The second stage: ranks feasible workers. Anti-affinity comes first: a worker holding fewer replicas of the same
 * VM always wins, because a second replica on one host buys nothing when that host fails, so no packing gain
 * outweighs it. Among equals the policy decides by the worker's utilisation after the placement (CPU and memory
 * shares added, so heterogeneous hosts compare fairly): BIN_PACK takes the fullest, SPREAD the emptiest. Remaining
 * ties go to the lowest worker id (the scan order), which keeps plans deterministic.
 */
final class Scoring {

    private final boolean binPack;

    Scoring(ScoringPolicy policy) {
        this.binPack = switch (policy) {
            case BIN_PACK -> true;
            case SPREAD -> false;
        };
    }

    /** Higher is better; comparable only between workers with as many replicas of the VM. */
    double fitScore(ClusterView view, int worker, long milliCpu, long memoryMb) {
        WorkerCapacity capacity = view.worker(worker);
        double utilisation = share(ClusterView.milliCpu(capacity.cpu()), view.freeMilliCpu(worker) - milliCpu)
                + share(capacity.memoryMb(), view.freeMemoryMb(worker) - memoryMb);
        return binPack ? utilisation : -utilisation;
    }

    /** The used share of a resource given what remains free; a resource the worker lacks entirely counts as full. */
    private static double share(long capacity, long freeAfter) {
        return capacity == 0 ? 1 : (double) (capacity - freeAfter) / capacity;
    }

    /** Whether a worker with {@code collisions} replicas of the VM and {@code score} beats the best so far. */
    static boolean better(int collisions, double score, int bestCollisions, double bestScore) {
        return collisions < bestCollisions || (collisions == bestCollisions && score > bestScore);
    }
}
