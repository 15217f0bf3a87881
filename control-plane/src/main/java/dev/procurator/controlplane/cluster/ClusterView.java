package dev.procurator.controlplane.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.procurator.controlplane.assignment.ObservedStore;
import dev.procurator.controlplane.assignment.Placer;
import dev.procurator.controlplane.assignment.Replica;
import dev.procurator.controlplane.assignment.ReplicaStore;
import dev.procurator.controlplane.generation.Generation;
import dev.procurator.controlplane.generation.GenerationStore;
import dev.procurator.controlplane.generation.Source;
import dev.procurator.controlplane.leader.LeaderInfo;
import dev.procurator.controlplane.leader.Leadership;
import dev.procurator.controlplane.rollout.Rollout;
import dev.procurator.controlplane.rollout.RolloutStore;
import dev.procurator.controlplane.config.StateJson;
import dev.procurator.controlplane.worker.Metrics;
import dev.procurator.controlplane.worker.WorkerRecord;
import dev.procurator.controlplane.worker.WorkerRegistry;
import dev.procurator.controlplane.worker.WorkerStore;
import dev.procurator.schema.Common;

/**
 * The cluster as one picture, read from the database (so a follower answers it too): sources, workers, desired
 * replicas against what workers report, rollouts. The HTTP API and getClusterStatus both render it.
 */
@Component
public class ClusterView {

    /** Everything read at once. */
    public record Snapshot(LeaderInfo leader, List<Generation> sources, List<WorkerRecord> workers,
                           Map<String, double[]> allocated, List<Replica> replicas,
                           List<ObservedStore.ObservedVm> observed, List<Rollout> rollouts) {

        ObservedStore.ObservedVm observedOf(Replica replica) {
            if (replica.workerId() == null) {
                return null;
            }
            for (ObservedStore.ObservedVm vm : observed) {
                if (vm.workerId().equals(replica.workerId()) && vm.vm().equals(replica.vm())
                        && vm.replica() == replica.replica()) {
                    return vm;
                }
            }
            return null;
        }
    }

    private final GenerationStore generations;
    private final WorkerStore workers;
    private final WorkerRegistry registry;
    private final ReplicaStore replicas;
    private final ObservedStore observed;
    private final RolloutStore rollouts;
    private final Leadership leadership;
    private final StateJson json;

    ClusterView(GenerationStore generations, WorkerStore workers, WorkerRegistry registry, ReplicaStore replicas,
                ObservedStore observed, RolloutStore rollouts, Leadership leadership, StateJson json) {
        this.json = json;
        this.generations = generations;
        this.workers = workers;
        this.registry = registry;
        this.replicas = replicas;
        this.observed = observed;
        this.rollouts = rollouts;
        this.leadership = leadership;
    }

    public Snapshot snapshot() {
        List<Replica> all = replicas.all();
        return new Snapshot(leadership.current(), generations.currents(), workers.all(), Placer.allocated(all), all,
                observed.all(), recentRollouts());
    }

    /** Each VM's newest rollout, plus any other unfinished one. */
    private List<Rollout> recentRollouts() {
        return rollouts.latestPerVm();
    }

    public long lastHeartbeat(WorkerRecord worker) {
        Long live = registry.lastHeartbeat(worker.id());
        return live == null ? worker.lastHeartbeat() : live;
    }

    // ------------------------------------------------------------------ JSON

    public ClusterJson.Cluster json() {
        Snapshot s = snapshot();
        List<ClusterJson.SourceJson> sources = s.sources().stream().map(g -> {
            Source source = Source.parse(g.source());
            return new ClusterJson.SourceJson(source.repository(), source.branch(), g.number(), g.gitCommit(),
                    g.createdAt());
        }).toList();
        List<ClusterJson.WorkerJson> workerJson = s.workers().stream().map(w -> workerJson(w, s.allocated())).toList();
        List<ClusterJson.VmJson> vms = new ArrayList<>();
        for (Replica replica : s.replicas()) {
            ObservedStore.ObservedVm seen = s.observedOf(replica);
            vms.add(new ClusterJson.VmJson(replica.source(), replica.vm(), replica.replica(), replica.workerId(),
                    replica.storePath(), seen == null ? null : seen.storePath(), state(replica, seen),
                    seen == null ? "unknown" : seen.health().name().toLowerCase(Locale.ROOT), replica.generation(),
                    message(replica, seen)));
        }
        LeaderInfo leader = s.leader();
        return new ClusterJson.Cluster(leader == null ? null : leader.instance(),
                leader == null ? null : leader.rpcAddress(), sources, workerJson, vms,
                s.rollouts().stream().map(ClusterJson.RolloutJson::of).toList());
    }

    public ClusterJson.WorkerJson workerJson(WorkerRecord w, Map<String, double[]> allocated) {
        double[] used = allocated.getOrDefault(w.id(), new double[2]);
        return new ClusterJson.WorkerJson(w.id(), w.hostname(), w.stateLabel(), w.labels(),
                new ClusterJson.Resources(w.cpu(), w.memoryMb()), new ClusterJson.Resources(used[0], (long) used[1]),
                w.apiUrl(), lastHeartbeat(w));
    }

    public ClusterJson.WorkerJson workerJson(WorkerRecord w) {
        return workerJson(w, Placer.allocated(replicas.ofWorker(w.id())));
    }

    private static String state(Replica replica, ObservedStore.ObservedVm seen) {
        if (replica.workerId() == null) {
            return "unplaced";
        }
        return seen == null ? "pending" : seen.phase().name().toLowerCase(Locale.ROOT);
    }

    private static String message(Replica replica, ObservedStore.ObservedVm seen) {
        if (replica.workerId() == null) {
            return replica.unplacedReason();
        }
        return seen == null ? "" : seen.message();
    }

    // ------------------------------------------------------------------ Cap'n Proto

    public void write(Common.ClusterStatus.Builder out) {
        Snapshot s = snapshot();
        Generation newest = s.sources().stream().max(java.util.Comparator.comparingLong(Generation::createdAt))
                .orElse(null);
        if (newest != null) {
            out.setGeneration(newest.number());
            out.setGitCommit(newest.gitCommit());
        }
        LeaderInfo leader = s.leader();
        out.setLeader(leader == null ? "" : leader.instance());
        out.setLeaderRpc(leader == null ? "" : leader.rpcAddress());
        var workerList = out.initWorkers(s.workers().size());
        for (int i = 0; i < s.workers().size(); i++) {
            writeWorker(s.workers().get(i), s.allocated(), workerList.get(i));
        }
        var vmList = out.initVms(s.observed().size());
        for (int i = 0; i < s.observed().size(); i++) {
            ObservedStore.ObservedVm vm = s.observed().get(i);
            Common.VmStatus.Builder b = vmList.get(i);
            b.setVm(vm.vm());
            b.setReplica(vm.replica());
            b.setWorkerId(vm.workerId());
            b.setGeneration(vm.generation());
            b.setStorePath(vm.storePath());
            b.setPhase(vm.phase());
            b.setHealth(vm.health());
            b.setHealthy(vm.health() == Common.Health.HEALTHY);
            b.setMessage(vm.message());
            b.setSinceMillis(vm.sinceMillis());
            b.setAddress(vm.address());
            b.setSource(vm.source());
            b.setRolledBackFrom(vm.rolledBackFrom());
        }
        var rolloutList = out.initRollouts(s.rollouts().size());
        for (int i = 0; i < s.rollouts().size(); i++) {
            writeRollout(s.rollouts().get(i), rolloutList.get(i));
        }
        var sourceList = out.initSources(s.sources().size());
        for (int i = 0; i < s.sources().size(); i++) {
            Generation g = s.sources().get(i);
            Source source = Source.parse(g.source());
            Common.SourceStatus.Builder b = sourceList.get(i);
            b.setRepository(source.repository());
            b.setBranch(source.branch());
            b.setGeneration(g.number());
            b.setGitCommit(g.gitCommit());
            b.setPublishedAtMillis(g.createdAt());
        }
        var replicaList = out.initReplicas(s.replicas().size());
        for (int i = 0; i < s.replicas().size(); i++) {
            Replica replica = s.replicas().get(i);
            ObservedStore.ObservedVm seen = s.observedOf(replica);
            Common.ReplicaStatus.Builder b = replicaList.get(i);
            b.setSource(replica.source());
            b.setVm(replica.vm());
            b.setReplica(replica.replica());
            b.setWorkerId(replica.workerId() == null ? "" : replica.workerId());
            b.setDesiredStorePath(replica.storePath());
            b.setObservedStorePath(seen == null ? "" : seen.storePath());
            b.setPhase(seen == null ? Common.VmPhase.PENDING : seen.phase());
            b.setHealth(seen == null ? Common.Health.UNKNOWN : seen.health());
            String message = message(replica, seen);
            b.setMessage(message == null ? "" : message);
        }
    }

    public void writeWorker(WorkerRecord w, Map<String, double[]> allocated, Common.WorkerStatus.Builder out) {
        Common.WorkerInfo.Builder info = out.initInfo();
        info.setWorkerId(w.id());
        info.setHostname(w.hostname());
        info.setAddress(w.address());
        Common.Resources.Builder capacity = info.initCapacity();
        capacity.setCpu(w.cpu());
        capacity.setMemoryMb(w.memoryMb());
        capacity.setDiskMb(w.diskMb());
        var labels = info.initLabels(w.labels().size());
        for (int i = 0; i < w.labels().size(); i++) {
            labels.set(i, new org.capnproto.Text.Reader(w.labels().get(i)));
        }
        info.setAgentVersion(w.agentVersion());
        info.setApiUrl(w.apiUrl());
        out.setState(w.state());
        out.setLastHeartbeatMillis(lastHeartbeat(w));
        double[] used = allocated.getOrDefault(w.id(), new double[2]);
        Common.Resources.Builder alloc = out.initAllocated();
        alloc.setCpu(used[0]);
        alloc.setMemoryMb((long) used[1]);
        if (w.metrics() != null) {
            json.read(w.metrics(), Metrics.class).write(out.initMetrics());
        }
    }

    public static void writeRollout(Rollout r, Common.RolloutStatus.Builder out) {
        out.setId(r.id());
        out.setVm(r.vm());
        out.setSource(r.source());
        out.setStrategy(r.strategyType());
        out.setState(r.state().capnp());
        out.setMessage(r.reason());
        out.setGeneration(r.generation());
        out.setFromGeneration(r.fromGeneration());
        out.setUpdatedReplicas(r.updatedReplicas());
        out.setHealthyReplicas(r.healthyReplicas());
        out.setTotalReplicas(r.totalReplicas());
        out.setUpdatedAtMillis(r.updatedAt());
    }

}
