package dev.procurator.schema.interop;

import dev.procurator.capnp.rpc.CallContext;
import dev.procurator.capnp.rpc.RpcException;
import dev.procurator.schema.Common;
import dev.procurator.schema.MasterRpc.Master;
import dev.procurator.schema.WorkerRpc.Worker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** The Java Master of the interop scenario: the same fixed behaviour as MasterImpl in peer.c++. */
final class InteropMaster extends Master.Server {
    volatile Worker.Client lastWorker;
    final CompletableFuture<Void> longPollStarted = new CompletableFuture<>();

    @Override
    protected CompletionStage<?> registerWorker(CallContext<Master.RegisterWorkerParams.Reader,
            Master.RegisterWorkerResults.Builder> call) {
        Common.WorkerInfo.Reader info = call.params().getInfo();
        String host = info.getHostname().toString();
        int interval = 1000 + info.getLabels().size();
        Worker.Client worker = call.params().getWorker();
        lastWorker = worker;
        return worker.notify(p -> p.setRevision(42))
                .thenCompose(done -> worker.stopVm(p -> {
                    p.setVm("web");
                    p.setReplica(0);
                    p.setReason("interop");
                }))
                .thenCompose(stopped -> worker.collectLogs(p -> {
                    p.setVm("web");
                    p.setMaxLines(2);
                }).thenAccept(logs -> {
                    String suffix = logs.getLines().get(0) + (stopped.getStopped() ? ":stopped" : ":running");
                    call.results().setWorkerId(host + ":" + suffix);
                    call.results().setHeartbeatIntervalMillis(interval);
                }));
    }

    @Override
    protected CompletionStage<?> heartbeat(CallContext<Master.HeartbeatParams.Reader,
            Master.HeartbeatResults.Builder> call) {
        call.results().setKnown(call.params().getWorkerId().size() > 0 && call.params().getMetrics().getRunningVms() == 3);
        return null;
    }

    @Override
    protected CompletionStage<?> getAssignment(CallContext<Master.GetAssignmentParams.Reader,
            Master.GetAssignmentResults.Builder> call) {
        long timeout = call.params().getTimeoutMillis() & 0xffffffffL;
        longPollStarted.complete(null);
        // a long poll: the reader thread is free while we wait
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(timeout, TimeUnit.MILLISECONDS))
                .thenRun(() -> {
                    var params = call.params();
                    var results = call.results();
                    results.setChanged(params.getKnownRevision() != 5);
                    Common.Assignment.Builder a = results.initAssignment();
                    a.setWorkerId(params.getWorkerId());
                    a.setRevision(5);
                    Common.AssignedVm.Builder vm = a.initVms(1).get(0);
                    vm.setVm("web");
                    vm.setStorePath("/nix/store/abc-web");
                    Common.VmSpec.Builder spec = vm.initSpec();
                    spec.setName("web");
                    spec.setCpu(1.5);
                    spec.initMemory().setAmount(2);
                    spec.getMemory().setUnit(Common.MemoryUnit.GB);
                    spec.initDeployment().initHealthChecks(1).get(0).initHttp().setPort((short) 8080);
                });
    }

    @Override
    protected CompletionStage<?> pushData(CallContext<Master.PushDataParams.Reader,
            Master.PushDataResults.Builder> call) {
        String id = call.params().getWorkerId().toString();
        switch (id) {
            case "failed" -> throw new RpcException(RpcException.Type.FAILED, "asked to fail");
            case "overloaded" -> throw new RpcException(RpcException.Type.OVERLOADED, "asked to be overloaded");
            case "disconnected" -> throw new RpcException(RpcException.Type.DISCONNECTED, "asked to disconnect");
            case "unimplemented" -> throw new RpcException(RpcException.Type.UNIMPLEMENTED, "asked to be unimplemented");
            default -> {
            }
        }
        if (call.params().getVms().size() != 1 || call.params().getHealth().size() != 1
                || call.params().getVms().get(0).getPhase() != Common.VmPhase.RUNNING) {
            throw RpcException.failed("expected one running vm and one health result");
        }
        return null;
    }

    @Override
    protected CompletionStage<?> publishState(CallContext<Master.PublishStateParams.Reader,
            Master.PublishStateResults.Builder> call) {
        Common.Generation.Reader g = call.params().getGeneration();
        call.results().setNumber(g.getClosures().size() * 100L + g.getBlueprint().size());
        call.results().setChanged(g.getGitCommit().size() > 0);
        return null;
    }

    @Override
    protected CompletionStage<?> getClusterStatus(CallContext<Master.GetClusterStatusParams.Reader,
            Master.GetClusterStatusResults.Builder> call) {
        Common.ClusterStatus.Builder status = call.results().initStatus();
        status.setGeneration(5);
        status.setGitCommit("abc123");
        status.setLeader("java");
        Common.WorkerStatus.Builder w = status.initWorkers(1).get(0);
        w.initInfo().setHostname("h1");
        w.setState(Common.WorkerState.READY);
        return null;
    }

    private static void rollout(Common.RolloutStatus.Builder r, String vm, Common.RolloutState state, long generation) {
        r.setVm(vm);
        r.setState(state);
        r.setGeneration(generation);
        r.setTotalReplicas(2);
    }

    @Override
    protected CompletionStage<?> promote(CallContext<Master.PromoteParams.Reader, Master.PromoteResults.Builder> call) {
        rollout(call.results().initRollout(), call.params().getVm().toString(), Common.RolloutState.IN_PROGRESS, 5);
        return null;
    }

    @Override
    protected CompletionStage<?> rollback(CallContext<Master.RollbackParams.Reader,
            Master.RollbackResults.Builder> call) {
        rollout(call.results().initRollout(), call.params().getVm().toString(), Common.RolloutState.ROLLED_BACK,
                call.params().getToGeneration());
        return null;
    }

    @Override
    protected CompletionStage<?> pause(CallContext<Master.PauseParams.Reader, Master.PauseResults.Builder> call) {
        rollout(call.results().initRollout(), call.params().getVm().toString(), Common.RolloutState.PAUSED, 5);
        return null;
    }

    @Override
    protected CompletionStage<?> resume(CallContext<Master.ResumeParams.Reader, Master.ResumeResults.Builder> call) {
        rollout(call.results().initRollout(), call.params().getVm().toString(), Common.RolloutState.IN_PROGRESS, 5);
        return null;
    }

    @Override
    protected CompletionStage<?> drainWorker(CallContext<Master.DrainWorkerParams.Reader,
            Master.DrainWorkerResults.Builder> call) {
        Common.WorkerStatus.Builder w = call.results().initWorker();
        w.initInfo().setWorkerId(call.params().getWorkerId().toString());
        w.setState(call.params().getDrain() ? Common.WorkerState.DRAINING : Common.WorkerState.READY);
        return null;
    }

    @Override
    protected CompletionStage<?> getLeader(CallContext<Master.GetLeaderParams.Reader,
            Master.GetLeaderResults.Builder> call) {
        call.results().setLeader("java");
        call.results().setRpcAddress("127.0.0.1:7441");
        call.results().setIsLeader(true);
        return null;
    }
}
