package dev.procurator.controlplane.cluster;

import java.util.List;

import dev.procurator.controlplane.rollout.Rollout;
import dev.procurator.controlplane.rollout.RolloutStore;

/** The HTTP API's shapes ({@code /api/v1/cluster}, rollouts, workers), camelCase. */
public final class ClusterJson {

    private ClusterJson() {
    }

    public record Cluster(String leader, String leaderRpc, List<SourceJson> sources, List<WorkerJson> workers,
                          List<VmJson> vms, List<RolloutJson> rollouts) {
    }

    public record SourceJson(String repo, String branch, long generation, String commit, long publishedAt) {
    }

    public record Resources(double cpu, long memoryMb) {
    }

    public record WorkerJson(String id, String hostname, String state, List<String> labels, Resources capacity,
                             Resources allocated, String apiUrl, long lastHeartbeat) {
    }

    public record VmJson(String source, String name, int replica, String worker, String desiredClosure,
                         String observedClosure, String state, String health, long generation, String message) {
    }

    public record RolloutJson(long id, String vm, String source, String strategy, String state, String reason,
                              long generation, long fromGeneration, int updatedReplicas, int healthyReplicas,
                              int totalReplicas, long updatedAt) {

        public static RolloutJson of(Rollout r) {
            return new RolloutJson(r.id(), r.vm(), r.source(), r.strategyType(), r.state().label(), r.reason(),
                    r.generation(), r.fromGeneration(), r.updatedReplicas(), r.healthyReplicas(), r.totalReplicas(),
                    r.updatedAt());
        }
    }

    public record RolloutDetail(long id, String vm, String source, String strategy, String state, String reason,
                                long generation, long fromGeneration, int updatedReplicas, int healthyReplicas,
                                int totalReplicas, long updatedAt, String toClosure, String fromClosure,
                                List<TransitionJson> transitions) {

        public static RolloutDetail of(Rollout r, List<RolloutStore.TransitionRecord> transitions) {
            return new RolloutDetail(r.id(), r.vm(), r.source(), r.strategyType(), r.state().label(), r.reason(),
                    r.generation(), r.fromGeneration(), r.updatedReplicas(), r.healthyReplicas(), r.totalReplicas(),
                    r.updatedAt(), r.toClosure(), r.fromClosure(), transitions.stream()
                    .map(t -> new TransitionJson(t.at(), t.from(), t.to(), t.reason())).toList());
        }
    }

    public record TransitionJson(long at, String from, String to, String reason) {
    }
}
