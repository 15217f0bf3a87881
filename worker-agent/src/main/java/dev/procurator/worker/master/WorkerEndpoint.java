package dev.procurator.worker.master;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import dev.procurator.capnp.rpc.CallContext;
import dev.procurator.capnp.rpc.RpcException;
import dev.procurator.schema.WorkerRpc.Worker;
import dev.procurator.worker.console.ConsoleLog;
import dev.procurator.worker.vm.ReplicaKey;
import dev.procurator.worker.vm.VmSupervisor;

/**
 * The {@code Worker} capability handed to the master: {@code notify} wakes the assignment poll, {@code stopVm}
 * stops a replica (returning only once the stop is on disk), {@code collectLogs} returns its console's tail. Calls
 * run on the executor, in order, never on the RPC event loop (stopping a VM blocks).
 */
final class WorkerEndpoint extends Worker.Server {

    private static final int DEFAULT_LINES = 200;

    private final VmSupervisor supervisor;
    private final MasterLink link;

    WorkerEndpoint(VmSupervisor supervisor, MasterLink link, Executor executor) {
        super(executor);
        this.supervisor = supervisor;
        this.link = link;
    }

    @Override
    protected CompletionStage<?> notify(CallContext<Worker.NotifyParams.Reader, Worker.NotifyResults.Builder> call) {
        link.notified(call.params().getRevision());
        return null;
    }

    @Override
    protected CompletionStage<?> stopVm(CallContext<Worker.StopVmParams.Reader, Worker.StopVmResults.Builder> call) {
        ReplicaKey key = key(call.params().getVm().toString(), call.params().getReplica());
        call.results().setStopped(supervisor.stopNow(key, call.params().getReason().toString()));
        return null;
    }

    @Override
    protected CompletionStage<?> collectLogs(CallContext<Worker.CollectLogsParams.Reader,
            Worker.CollectLogsResults.Builder> call) {
        ReplicaKey key = key(call.params().getVm().toString(), call.params().getReplica());
        int max = call.params().getMaxLines() == 0 ? DEFAULT_LINES : Math.min(call.params().getMaxLines(), 10_000);
        ConsoleLog console = supervisor.console(key)
                .orElseThrow(() -> new RpcException(RpcException.Type.FAILED, "not_found: no replica " + key + " here"));
        ConsoleLog.Tail tail = console.tail(max);
        var lines = call.results().initLines(tail.lines().size());
        for (int i = 0; i < tail.lines().size(); i++) {
            lines.set(i, new org.capnproto.Text.Reader(tail.lines().get(i)));
        }
        call.results().setTruncated(tail.truncated());
        return null;
    }

    private static ReplicaKey key(String vm, int replica) {
        try {
            return new ReplicaKey(vm, replica);
        } catch (IllegalArgumentException e) {
            throw new RpcException(RpcException.Type.FAILED, "invalid: " + e.getMessage());
        }
    }
}
