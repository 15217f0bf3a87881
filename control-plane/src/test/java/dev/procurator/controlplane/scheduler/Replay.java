package dev.procurator.controlplane.scheduler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The test oracle: replays a plan's decisions in request order on a plain copy of the cluster, to ask at each step
 * what was feasible then. Written independently of the scheduler (doubles, maps, no index), so a property checked
 * against it does not merely restate the implementation. Amounts in the generators are multiples of 1/4, which
 * doubles add exactly.
 */
final class Replay {

    private final Map<String, WorkerCapacity> workers = new HashMap<>();
    private final Map<String, Double> freeCpu = new HashMap<>();
    private final Map<String, Long> freeMemory = new HashMap<>();
    private final Map<String, Map<String, Integer>> replicas = new HashMap<>();

    Replay(ClusterState state) {
        for (WorkerCapacity worker : state.workers()) {
            workers.put(worker.id(), worker);
            freeCpu.put(worker.id(), worker.cpu() - worker.cpuAllocated());
            freeMemory.put(worker.id(), worker.memoryMb() - worker.memoryMbAllocated());
        }
        state.replicas().forEach(replica -> count(replica.vm(), replica.workerId()));
    }

    boolean feasible(String workerId, ReplicaRequest request) {
        WorkerCapacity worker = workers.get(workerId);
        return worker != null
                && worker.acceptsReplicas()
                && worker.labels().containsAll(request.requiredLabels())
                && freeCpu.get(workerId) >= request.cpu()
                && freeMemory.get(workerId) >= request.memoryMb();
    }

    List<String> feasibleWorkers(ReplicaRequest request) {
        return workers.keySet().stream().filter(id -> feasible(id, request)).sorted().toList();
    }

    /** Workers that accept replicas and have every label in {@code required}, whatever their free capacity. */
    List<String> readyWithLabels(Set<String> required) {
        return workers.values().stream()
                .filter(worker -> worker.acceptsReplicas() && worker.labels().containsAll(required))
                .map(WorkerCapacity::id).sorted().toList();
    }

    double freeCpu(String workerId) {
        return freeCpu.get(workerId);
    }

    long freeMemory(String workerId) {
        return freeMemory.get(workerId);
    }

    int replicasOf(String vm, String workerId) {
        return replicas.getOrDefault(vm, Map.of()).getOrDefault(workerId, 0);
    }

    void place(String workerId, ReplicaRequest request) {
        freeCpu.merge(workerId, -request.cpu(), Double::sum);
        freeMemory.merge(workerId, -request.memoryMb(), Long::sum);
        count(request.vm(), workerId);
    }

    private void count(String vm, String workerId) {
        replicas.computeIfAbsent(vm, v -> new HashMap<>()).merge(workerId, 1, Integer::sum);
    }
}
