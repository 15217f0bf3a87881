package dev.procurator.e2e.controlplane;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.capnproto.Text;

import dev.procurator.capnp.rpc.CallContext;
import dev.procurator.schema.Common;
import dev.procurator.schema.MasterRpc.Master;
import dev.procurator.schema.WorkerRpc.Worker;
import dev.procurator.schema.client.MasterEndpoints;

/**
 * A worker agent as the control plane sees one, over real Cap'n Proto: it registers with its capacity and labels
 * (handing over its {@code Worker} capability), heartbeats, asks for its assignment and reports every assigned
 * replica running and healthy with the closure it was given, every {@code 300 ms}. It runs no VM: what the tests
 * check is the control plane's bookkeeping as the CLI and the dashboard show it.
 */
final class SimulatedWorker implements AutoCloseable {

    private static final long CALL_SECONDS = 10;

    private final MasterEndpoints.Connection connection;
    private final String id;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "simulated-worker");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long revision;
    private volatile Exception lastFailure;

    private SimulatedWorker(MasterEndpoints.Connection connection, String id) {
        this.connection = connection;
        this.id = id;
    }

    /** Registers {@code id} with {@code cpu} cores and {@code memoryMb} MiB at the control plane's RPC address. */
    static SimulatedWorker register(String rpcAddress, String id, double cpu, long memoryMb, List<String> labels)
            throws Exception {
        Endpoint endpoint = new Endpoint();
        MasterEndpoints.Connection connection = MasterEndpoints.parse(rpcAddress).connectToLeader(null, endpoint);
        Master.Client master = connection.master();
        String assigned = master.registerWorker(p -> {
            Common.WorkerInfo.Builder info = p.initInfo();
            info.setWorkerId(id);
            info.setHostname(id + ".test");
            info.setAddress("127.0.0.1");
            info.setApiUrl("http://127.0.0.1:9/" + id);
            info.setAgentVersion("simulated");
            Common.Resources.Builder capacity = info.initCapacity();
            capacity.setCpu(cpu);
            capacity.setMemoryMb(memoryMb);
            capacity.setDiskMb(100_000);
            var list = info.initLabels(labels.size());
            for (int i = 0; i < labels.size(); i++) {
                list.set(i, new Text.Reader(labels.get(i)));
            }
            info.initBackends(1).set(0, Common.Backend.QEMU);
            p.setWorker(new Worker.Client(endpoint));
        }).get(CALL_SECONDS, TimeUnit.SECONDS).getWorkerId().toString();
        SimulatedWorker worker = new SimulatedWorker(connection, assigned);
        worker.loop.scheduleWithFixedDelay(worker::tick, 0, 300, TimeUnit.MILLISECONDS);
        return worker;
    }

    String id() {
        return id;
    }

    /** The last failed call, if the latest tick failed (null when the worker is in step with the master). */
    Exception lastFailure() {
        return lastFailure;
    }

    private void tick() {
        try {
            Master.Client master = connection.master();
            master.heartbeat(p -> {
                p.setWorkerId(id);
                metrics(p.initMetrics());
            }).get(CALL_SECONDS, TimeUnit.SECONDS);
            Common.Assignment.Reader assignment = master.getAssignment(p -> {
                p.setWorkerId(id);
                p.setKnownRevision(revision);
                p.setTimeoutMillis(1);
            }).get(CALL_SECONDS, TimeUnit.SECONDS).getAssignment();
            revision = assignment.getRevision();
            var vms = assignment.getVms();
            master.pushData(p -> {
                p.setWorkerId(id);
                var statuses = p.initVms(vms.size());
                for (int i = 0; i < vms.size(); i++) {
                    running(vms.get(i), statuses.get(i));
                }
                metrics(p.initMetrics());
                p.initHealth(0);
            }).get(CALL_SECONDS, TimeUnit.SECONDS);
            lastFailure = null;
        } catch (Exception e) {
            lastFailure = e;
        }
    }

    /** The assigned replica, up and healthy on its assigned closure. */
    private void running(Common.AssignedVm.Reader vm, Common.VmStatus.Builder status) {
        long now = System.currentTimeMillis();
        status.setVm(vm.getVm().toString());
        status.setReplica(vm.getReplica());
        status.setWorkerId(id);
        status.setGeneration(vm.getGeneration());
        status.setStorePath(vm.getStorePath().toString());
        status.setSource(vm.getSource().toString());
        status.setPhase(Common.VmPhase.RUNNING);
        status.setHealth(Common.Health.HEALTHY);
        status.setHealthy(true);
        status.setSinceMillis(now);
        status.setStartedAtMillis(now);
        status.setAddress("127.0.0.1");
        status.setBackend(Common.Backend.QEMU);
    }

    private static void metrics(Common.WorkerMetrics.Builder metrics) {
        metrics.setTimestampMillis(System.currentTimeMillis());
        metrics.setMemoryTotalMb(8192);
        metrics.setDiskTotalMb(100_000);
    }

    @Override
    public void close() throws InterruptedException {
        loop.shutdownNow();
        loop.awaitTermination(CALL_SECONDS, TimeUnit.SECONDS);
        connection.close();
    }

    /** What the master may push: a wake-up (the next tick asks anyway), a stop, logs (none). */
    private static final class Endpoint extends Worker.Server {

        @Override
        protected CompletionStage<?> notify(CallContext<Worker.NotifyParams.Reader, Worker.NotifyResults.Builder> call) {
            return null;
        }

        @Override
        protected CompletionStage<?> stopVm(CallContext<Worker.StopVmParams.Reader, Worker.StopVmResults.Builder> call) {
            call.results().setStopped(true);
            return null;
        }

        @Override
        protected CompletionStage<?> collectLogs(CallContext<Worker.CollectLogsParams.Reader,
                Worker.CollectLogsResults.Builder> call) {
            call.results().initLines(0);
            return null;
        }
    }
}
