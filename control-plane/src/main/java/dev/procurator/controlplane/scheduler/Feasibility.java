package dev.procurator.controlplane.scheduler;

/**
 * The first stage: which workers can take a replica at all. A worker is feasible when it accepts replicas (Ready and
 * not draining), has every required label, and has the free CPU and memory. The first two come from the view's label
 * index (computed once per label set), so a decision only checks capacity, which placements change.
 */
final class Feasibility {

    private Feasibility() {
    }

    /** Ready workers with the request's labels, ascending id; capacity still to be checked with {@link #hasRoom}. */
    static int[] candidates(ClusterView view, ReplicaRequest request) {
        return view.readyWithLabels(request.requiredLabels());
    }

    static boolean hasRoom(ClusterView view, int worker, long milliCpu, long memoryMb) {
        return view.freeMilliCpu(worker) >= milliCpu && view.freeMemoryMb(worker) >= memoryMb;
    }
}
