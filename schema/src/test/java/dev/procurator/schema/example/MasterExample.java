package dev.procurator.schema.example;

import dev.procurator.capnp.rpc.CallContext;
import dev.procurator.capnp.rpc.RpcAddress;
import dev.procurator.capnp.rpc.RpcClient;
import dev.procurator.capnp.rpc.RpcServer;
import dev.procurator.schema.Common;
import dev.procurator.schema.MasterRpc.Master;
import dev.procurator.schema.WorkerRpc.Worker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The README's example, runnable: a tiny Master that registers workers (keeping their Worker
 * capability to push to) and answers a long poll, and a worker that registers and polls.
 * Run it with {@code MasterExampleTest}, or as a main class from the test class path.
 */
public final class MasterExample {
    private MasterExample() {
    }

    /** The control plane's side. */
    static final class ExampleMaster extends Master.Server {
        final ConcurrentHashMap<String, Worker.Client> workers = new ConcurrentHashMap<>();
        volatile long generation = 1;

        @Override
        protected CompletionStage<?> registerWorker(CallContext<Master.RegisterWorkerParams.Reader,
                Master.RegisterWorkerResults.Builder> call) {
            String id = "worker-" + call.params().getInfo().getHostname();
            Worker.Client worker = call.params().getWorker(); // keep it: we may push to it later
            workers.put(id, worker);
            worker.whenDisconnected().thenRun(() -> workers.remove(id)); // gone: forget it at once
            call.results().setWorkerId(id);
            call.results().setHeartbeatIntervalMillis(5000);
            return null;
        }

        @Override
        protected CompletionStage<?> getAssignment(CallContext<Master.GetAssignmentParams.Reader,
                Master.GetAssignmentResults.Builder> call) {
            boolean changed = call.params().getKnownRevision() != generation;
            // a long poll never blocks the event loop: answer later from another thread
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(changed ? 0 : 20, TimeUnit.MILLISECONDS))
                    .thenRun(() -> {
                        call.results().setChanged(changed);
                        Common.Assignment.Builder assignment = call.results().initAssignment();
                        assignment.setRevision(generation);
                        Common.AssignedVm.Builder vm = assignment.initVms(1).get(0);
                        vm.setVm("web");
                        vm.setStorePath("/nix/store/abc-web");
                    });
        }

        @Override
        protected CompletionStage<?> getClusterStatus(CallContext<Master.GetClusterStatusParams.Reader,
                Master.GetClusterStatusResults.Builder> call) {
            Common.ClusterStatus.Builder status = call.results().initStatus();
            status.setGeneration(generation);
            status.initWorkers(workers.size());
            return null;
        }
    }

    /** The worker agent's side: what the master may push to it. */
    static final class ExampleWorker extends Worker.Server {
        final CompletableFuture<Long> notified = new CompletableFuture<>();

        @Override
        protected CompletionStage<?> notify(CallContext<Worker.NotifyParams.Reader, Worker.NotifyResults.Builder> call) {
            notified.complete(call.params().getRevision());
            return null;
        }
    }

    /** Serves a Master on {@code address}, registers a worker and polls once; returns the assignment's VM. */
    static String run(String address) throws Exception {
        ExampleMaster master = new ExampleMaster();
        try (RpcServer server = RpcServer.bind(RpcAddress.parse(address), master);
             RpcClient client = RpcClient.connect(server.localAddress())) {
            Master.Client remote = client.bootstrap(Master.Client::new);
            ExampleWorker worker = new ExampleWorker();
            String workerId = remote.registerWorker(p -> {
                p.initInfo().setHostname("host-1");
                p.setWorker(new Worker.Client(worker));
            }).get(10, TimeUnit.SECONDS).getWorkerId().toString();

            // the master pushes a wake-up through the capability the worker handed it
            master.workers.get(workerId).notify(p -> p.setRevision(2)).get(10, TimeUnit.SECONDS);
            long pushed = worker.notified.get(10, TimeUnit.SECONDS);

            var assignment = remote.getAssignment(p -> {
                p.setWorkerId(workerId);
                p.setKnownRevision(0);
            }).get(10, TimeUnit.SECONDS).getAssignment();
            return workerId + " notified of " + pushed + ", runs " + assignment.getVms().get(0).getVm()
                    + " from " + assignment.getVms().get(0).getStorePath();
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(run(args.length > 0 ? args[0] : "127.0.0.1:0"));
    }
}
