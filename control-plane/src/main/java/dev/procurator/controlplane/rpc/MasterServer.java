package dev.procurator.controlplane.rpc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.capnproto.StructList;

import dev.procurator.capnp.rpc.CallContext;
import dev.procurator.capnp.rpc.RpcException;
import dev.procurator.controlplane.assignment.Assignments;
import dev.procurator.controlplane.assignment.ObservedStore;
import dev.procurator.controlplane.assignment.Reports;
import dev.procurator.controlplane.cluster.ClusterView;
import dev.procurator.controlplane.config.ControlPlaneProperties;
import dev.procurator.controlplane.config.StateJson;
import dev.procurator.controlplane.generation.Publisher;
import dev.procurator.controlplane.leader.LeaderInfo;
import dev.procurator.controlplane.leader.LeaderWrites;
import dev.procurator.controlplane.leader.Leadership;
import dev.procurator.controlplane.leader.NotLeaderException;
import dev.procurator.controlplane.rollout.Rollout;
import dev.procurator.controlplane.rollout.Rollouts;
import dev.procurator.controlplane.worker.Metrics;
import dev.procurator.controlplane.worker.WorkerRecord;
import dev.procurator.controlplane.worker.WorkerRegistry;
import dev.procurator.schema.Common;
import dev.procurator.schema.MasterRpc.Master;
import dev.procurator.schema.blueprint.Blueprint;
import dev.procurator.schema.blueprint.BlueprintCapnp;
import dev.procurator.schema.client.MasterErrors;

/**
 * The {@code Master} bootstrap capability. Its calls run on the executor it is built with (they touch the database),
 * never on the RPC event loop; a long poll parks without holding a thread. Errors follow master.capnp's convention
 * ({@link MasterErrors}); every call but getClusterStatus and getLeader is the leader's alone.
 */
public class MasterServer extends Master.Server {

    private final Leadership leadership;
    private final LeaderWrites writes;
    private final WorkerRegistry workers;
    private final Assignments assignments;
    private final Reports reports;
    private final Publisher publisher;
    private final Rollouts rollouts;
    private final ClusterView cluster;
    private final StateJson json;
    private final ControlPlaneProperties properties;
    private final Executor executor;

    MasterServer(Executor executor, Leadership leadership, LeaderWrites writes, WorkerRegistry workers,
                 Assignments assignments, Reports reports, Publisher publisher, Rollouts rollouts,
                 ClusterView cluster, StateJson json, ControlPlaneProperties properties) {
        super(executor);
        this.executor = executor;
        this.leadership = leadership;
        this.writes = writes;
        this.workers = workers;
        this.assignments = assignments;
        this.reports = reports;
        this.publisher = publisher;
        this.rollouts = rollouts;
        this.cluster = cluster;
        this.json = json;
        this.properties = properties;
    }

    @Override
    protected CompletionStage<?> registerWorker(CallContext<Master.RegisterWorkerParams.Reader,
            Master.RegisterWorkerResults.Builder> call) {
        return guard(() -> {
            Common.WorkerInfo.Reader info = call.params().getInfo();
            List<String> labels = new ArrayList<>();
            info.getLabels().forEach(label -> labels.add(label.toString()));
            Common.Resources.Reader capacity = info.getCapacity();
            if (!(capacity.getCpu() > 0) || capacity.getMemoryMb() <= 0) {
                throw MasterErrors.invalid("a worker's capacity needs CPU and memory, got " + capacity.getCpu()
                        + " CPU and " + capacity.getMemoryMb() + " MiB");
            }
            var registration = new WorkerRegistry.Registration(info.getWorkerId().toString(),
                    info.getHostname().toString(), info.getAddress().toString(), info.getApiUrl().toString(), labels,
                    capacity.getCpu(), capacity.getMemoryMb(), capacity.getDiskMb(), info.getAgentVersion().toString());
            var capability = call.params().getWorker();
            String id = writes.write(() -> workers.register(registration, capability, System.currentTimeMillis()));
            call.results().setWorkerId(id);
            call.results().setHeartbeatIntervalMillis((int) properties.heartbeatInterval().toMillis());
            return null;
        });
    }

    @Override
    protected CompletionStage<?> heartbeat(CallContext<Master.HeartbeatParams.Reader,
            Master.HeartbeatResults.Builder> call) {
        return guard(() -> {
            leadership.requireLeader();
            String metrics = json.write(Metrics.of(call.params().getMetrics()));
            call.results().setKnown(workers.heartbeat(call.params().getWorkerId().toString(), metrics,
                    System.currentTimeMillis()));
            return null;
        });
    }

    @Override
    protected CompletionStage<?> getAssignment(CallContext<Master.GetAssignmentParams.Reader,
            Master.GetAssignmentResults.Builder> call) {
        return guard(() -> {
            leadership.requireLeader();
            String workerId = call.params().getWorkerId().toString();
            if (!workers.isKnown(workerId)) {
                throw new WorkerRegistry.UnknownWorkerException(workerId);
            }
            long known = call.params().getKnownRevision();
            long timeout = Integer.toUnsignedLong(call.params().getTimeoutMillis());
            return assignments.awaitChange(workerId, known, timeout).thenRunAsync(() -> {
                Common.Assignment.Builder out = call.results().initAssignment();
                assignments.write(workerId, out);
                call.results().setChanged(out.getRevision() != known);
            }, executor);
        });
    }

    @Override
    protected CompletionStage<?> pushData(CallContext<Master.PushDataParams.Reader,
            Master.PushDataResults.Builder> call) {
        return guard(() -> {
            String workerId = call.params().getWorkerId().toString();
            Map<String, List<Map<String, Object>>> checks = new HashMap<>();
            for (Common.HealthResult.Reader result : call.params().getHealth()) {
                checks.computeIfAbsent(result.getVm() + "/" + result.getReplica(), k -> new ArrayList<>())
                        .add(Map.of("check", result.getCheck().toString(), "healthy", result.getHealthy(),
                                "message", result.getMessage().toString(), "at", result.getCheckedAtMillis()));
            }
            long now = System.currentTimeMillis();
            List<ObservedStore.ObservedVm> vms = new ArrayList<>();
            for (Common.VmStatus.Reader vm : call.params().getVms()) {
                String key = vm.getVm() + "/" + vm.getReplica();
                vms.add(new ObservedStore.ObservedVm(workerId, vm.getVm().toString(), vm.getReplica(),
                        vm.getSource().toString(), vm.getGeneration(), vm.getStorePath().toString(), vm.getPhase(),
                        vm.getHealth(), vm.getMessage().toString(), vm.getSinceMillis(), vm.getAddress().toString(),
                        vm.getRolledBackFrom().toString(), json.write(checks.getOrDefault(key, List.of())), now));
            }
            String metrics = json.write(Metrics.of(call.params().getMetrics()));
            writes.run(() -> reports.report(workerId, vms, metrics, now));
            return null;
        });
    }

    @Override
    protected CompletionStage<?> publishState(CallContext<Master.PublishStateParams.Reader,
            Master.PublishStateResults.Builder> call) {
        return guard(() -> {
            leadership.requireLeader();
            Common.Generation.Reader g = call.params().getGeneration();
            Blueprint blueprint;
            try {
                blueprint = BlueprintCapnp.read(g.getBlueprint());
            } catch (RuntimeException e) {
                throw MasterErrors.invalid("malformed blueprint: " + e.getMessage());
            }
            if (blueprint.vms().size() != g.getBlueprint().size()) {
                throw MasterErrors.invalid("the blueprint names a VM twice");
            }
            Map<String, String> closures = closures(g.getClosures());
            var published = new Publisher.Published(g.getRepository().toString(), g.getBranch().toString(),
                    g.getGitCommit().toString(), g.getPipelineUrl().toString(), blueprint, closures);
            Publisher.Result result = writes.write(() -> publisher.publish(published, System.currentTimeMillis()));
            call.results().setNumber(result.number());
            call.results().setChanged(result.changed());
            return null;
        });
    }

    private static Map<String, String> closures(StructList.Reader<Common.VmClosure.Reader> list) {
        Map<String, String> closures = new HashMap<>();
        for (Common.VmClosure.Reader closure : list) {
            if (closures.put(closure.getVm().toString(), closure.getStorePath().toString()) != null) {
                throw MasterErrors.invalid("closures." + closure.getVm() + ": given twice");
            }
        }
        return closures;
    }

    @Override
    protected CompletionStage<?> getClusterStatus(CallContext<Master.GetClusterStatusParams.Reader,
            Master.GetClusterStatusResults.Builder> call) {
        return guard(() -> {
            cluster.write(call.results().initStatus());
            return null;
        });
    }

    @Override
    protected CompletionStage<?> promote(CallContext<Master.PromoteParams.Reader, Master.PromoteResults.Builder> call) {
        return operator(() -> rollouts.promote(call.params().getVm().toString(), System.currentTimeMillis()),
                () -> call.results().initRollout());
    }

    @Override
    protected CompletionStage<?> rollback(CallContext<Master.RollbackParams.Reader,
            Master.RollbackResults.Builder> call) {
        return operator(() -> rollouts.rollback(call.params().getVm().toString(), call.params().getToGeneration(),
                System.currentTimeMillis()), () -> call.results().initRollout());
    }

    @Override
    protected CompletionStage<?> pause(CallContext<Master.PauseParams.Reader, Master.PauseResults.Builder> call) {
        return operator(() -> rollouts.pause(call.params().getVm().toString(), System.currentTimeMillis()),
                () -> call.results().initRollout());
    }

    @Override
    protected CompletionStage<?> resume(CallContext<Master.ResumeParams.Reader, Master.ResumeResults.Builder> call) {
        return operator(() -> rollouts.resume(call.params().getVm().toString(), System.currentTimeMillis()),
                () -> call.results().initRollout());
    }

    private CompletionStage<?> operator(Supplier<Rollout> action, Supplier<Common.RolloutStatus.Builder> out) {
        return guard(() -> {
            Rollout rollout = writes.write(action);
            ClusterView.writeRollout(rollout, out.get());
            return null;
        });
    }

    @Override
    protected CompletionStage<?> drainWorker(CallContext<Master.DrainWorkerParams.Reader,
            Master.DrainWorkerResults.Builder> call) {
        return guard(() -> {
            String id = call.params().getWorkerId().toString();
            boolean drain = call.params().getDrain();
            WorkerRecord worker = writes.write(() -> workers.drain(id, drain));
            cluster.writeWorker(worker, dev.procurator.controlplane.assignment.Placer.allocated(List.of()),
                    call.results().initWorker());
            return null;
        });
    }

    @Override
    protected CompletionStage<?> getLeader(CallContext<Master.GetLeaderParams.Reader,
            Master.GetLeaderResults.Builder> call) {
        return guard(() -> {
            boolean leading = leadership.isLeader();
            LeaderInfo leader = leadership.current();
            call.results().setIsLeader(leading);
            if (leading) {
                call.results().setLeader(leadership.instanceId());
                call.results().setRpcAddress(leadership.rpcAddress());
            } else if (leader != null) {
                call.results().setLeader(leader.instance());
                call.results().setRpcAddress(leader.rpcAddress());
            }
            return null;
        });
    }

    /** Runs a call, turning the control plane's exceptions into master.capnp's error codes. */
    private static CompletionStage<?> guard(Supplier<CompletionStage<?>> body) {
        try {
            return body.get();
        } catch (RpcException e) {
            throw e;
        } catch (NotLeaderException e) {
            LeaderInfo leader = e.leader();
            throw MasterErrors.notLeader(leader == null ? null : leader.instance(),
                    leader == null ? null : leader.rpcAddress());
        } catch (Publisher.InvalidGenerationException | IllegalArgumentException e) {
            throw MasterErrors.invalid(e.getMessage());
        } catch (WorkerRegistry.UnknownWorkerException e) {
            throw new RpcException(RpcException.Type.FAILED, MasterErrors.UNKNOWN_WORKER + ": " + e.getMessage());
        } catch (Rollouts.NotFoundException e) {
            throw MasterErrors.notFound(e.getMessage());
        } catch (Rollouts.ConflictException e) {
            throw MasterErrors.conflict(e.getMessage());
        }
    }

}
