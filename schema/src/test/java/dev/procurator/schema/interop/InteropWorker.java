package dev.procurator.schema.interop;

import dev.procurator.capnp.rpc.CallContext;
import dev.procurator.schema.WorkerRpc.Worker;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The Java Worker of the interop scenario: the same fixed behaviour as WorkerImpl in peer.c++. */
final class InteropWorker extends Worker.Server {
    final AtomicLong notified = new AtomicLong();
    final AtomicInteger stops = new AtomicInteger();

    @Override
    protected CompletionStage<?> notify(CallContext<Worker.NotifyParams.Reader, Worker.NotifyResults.Builder> call) {
        notified.set(call.params().getRevision());
        return null;
    }

    @Override
    protected CompletionStage<?> stopVm(CallContext<Worker.StopVmParams.Reader, Worker.StopVmResults.Builder> call) {
        stops.incrementAndGet();
        call.results().setStopped(call.params().getVm().toString().equals("web"));
        return null;
    }

    @Override
    protected CompletionStage<?> collectLogs(CallContext<Worker.CollectLogsParams.Reader,
            Worker.CollectLogsResults.Builder> call) {
        int n = call.params().getMaxLines();
        String vm = call.params().getVm().toString();
        var lines = call.results().initLines(n);
        for (int i = 0; i < n; i++) {
            lines.set(i, new org.capnproto.Text.Reader("log-" + vm + "-" + i));
        }
        call.results().setTruncated(true);
        return null;
    }
}
