package dev.procurator.controlplane.scheduler;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The working copy of the cluster for one plan: workers sorted by id (so neither their input order nor anything
 * but their ids breaks ties), free capacity that shrinks as the plan places replicas, and which workers hold
 * replicas of which VM. It lives for one {@link Scheduler#plan} call and is never shared.
 *
 * <p>CPU is counted in millicores so that sums are exact (0.1 + 0.2 fills a 0.3-CPU worker; doubles would not).
 */
final class ClusterView {

    private final WorkerCapacity[] workers;
    private final long[] freeMilliCpu;
    private final long[] freeMemoryMb;
    /** vm -> worker index -> replicas of that vm on it, from the cluster and from this plan. */
    private final Map<String, Map<Integer, Integer>> replicasByVm = new HashMap<>();
    /** The label index: required label set -> Ready workers having all of them, ascending id. */
    private final Map<Set<String>, int[]> readyWithLabels = new HashMap<>();
    private final int readyCount;

    ClusterView(ClusterState state) {
        workers = state.workers().toArray(WorkerCapacity[]::new);
        Arrays.sort(workers, Comparator.comparing(WorkerCapacity::id));
        freeMilliCpu = new long[workers.length];
        freeMemoryMb = new long[workers.length];
        Map<String, Integer> indexById = new HashMap<>();
        int ready = 0;
        for (int i = 0; i < workers.length; i++) {
            WorkerCapacity worker = workers[i];
            if (indexById.put(worker.id(), i) != null) {
                throw new IllegalArgumentException("worker " + worker.id() + " appears twice in the cluster state");
            }
            freeMilliCpu[i] = milliCpu(worker.cpu()) - milliCpu(worker.cpuAllocated());
            freeMemoryMb[i] = worker.memoryMb() - worker.memoryMbAllocated();
            if (worker.acceptsReplicas()) {
                ready++;
            }
        }
        readyCount = ready;
        for (ExistingReplica replica : state.replicas()) {
            Integer worker = indexById.get(replica.workerId());
            if (worker != null) { // a replica on a worker gone from the state constrains nothing
                addReplica(replica.vm(), worker);
            }
        }
    }

    static long milliCpu(double cpu) {
        return Math.round(cpu * 1000);
    }

    int size() {
        return workers.length;
    }

    int readyCount() {
        return readyCount;
    }

    String id(int worker) {
        return workers[worker].id();
    }

    WorkerCapacity worker(int worker) {
        return workers[worker];
    }

    long freeMilliCpu(int worker) {
        return freeMilliCpu[worker];
    }

    long freeMemoryMb(int worker) {
        return freeMemoryMb[worker];
    }

    /** Ready workers that have every label in {@code required}, ascending id; computed once per label set. */
    int[] readyWithLabels(Set<String> required) {
        return readyWithLabels.computeIfAbsent(required, labels -> {
            int[] matching = new int[workers.length];
            int count = 0;
            for (int i = 0; i < workers.length; i++) {
                if (workers[i].acceptsReplicas() && workers[i].labels().containsAll(labels)) {
                    matching[count++] = i;
                }
            }
            return Arrays.copyOf(matching, count);
        });
    }

    /** Workers holding replicas of {@code vm}, with how many each holds. */
    Map<Integer, Integer> replicasOf(String vm) {
        return replicasByVm.getOrDefault(vm, Map.of());
    }

    /** Commits a placement: the worker's free capacity shrinks and it now holds a replica of the VM. */
    void allocate(int worker, ReplicaRequest request) {
        freeMilliCpu[worker] -= milliCpu(request.cpu());
        freeMemoryMb[worker] -= request.memoryMb();
        addReplica(request.vm(), worker);
    }

    private void addReplica(String vm, int worker) {
        replicasByVm.computeIfAbsent(vm, v -> new HashMap<>()).merge(worker, 1, Integer::sum);
    }
}
