package dev.procurator.worker.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.procurator.capnp.rpc.CallContext;
import dev.procurator.capnp.rpc.RpcAddress;
import dev.procurator.capnp.rpc.RpcServer;
import dev.procurator.schema.Common;
import dev.procurator.schema.MasterRpc.Master;
import dev.procurator.schema.WorkerRpc.Worker;
import dev.procurator.schema.blueprint.Blueprint;
import dev.procurator.schema.blueprint.BlueprintCapnp;
import dev.procurator.schema.client.MasterErrors;

/**
 * A faithful {@code Master} for the agent's tests (until the control plane lands, and beside it afterwards): it keeps
 * registered workers and their {@code Worker} capability, answers {@code getAssignment} long polls at once when the
 * revision moved (or after the requested timeout), pushes {@code notify(revision)} through the capability on every
 * change, raises {@code unknown_worker} for a worker it does not know, and records every {@code pushData}.
 */
public final class TestMaster extends Master.Server implements AutoCloseable {

    /** One replica to assign. */
    public record Vm(String name, int replica, Blueprint.Vm spec, String storePath, String previousStorePath) {
    }

    /** A replica as the worker last reported it. */
    public record Observed(String vm, int replica, String storePath, String phase, String health, String address,
                           Map<Integer, Integer> ports, String backend, long startedAtMillis, String rolledBackFrom,
                           String message) {
    }

    private final RpcServer server;
    private final Map<String, Worker.Client> workers = new ConcurrentHashMap<>();
    private final List<Poll> polls = new CopyOnWriteArrayList<>();
    private final Map<String, Observed> observed = new ConcurrentHashMap<>();
    private final List<String> healthLog = new CopyOnWriteArrayList<>();
    private volatile long revision = 1;
    private volatile List<Vm> vms = List.of();
    private volatile String cacheUrl = "";
    private volatile String cacheKey = "";
    private volatile int registrations;

    private record Poll(String workerId, long knownRevision, CompletableFuture<Void> answer,
                        CallContext<Master.GetAssignmentParams.Reader, Master.GetAssignmentResults.Builder> call) {
    }

    private TestMaster(String address) throws IOException {
        super(Executors.newVirtualThreadPerTaskExecutor());
        this.server = RpcServer.bind(RpcAddress.parse(address), this);
    }

    /** A master on a free loopback port. */
    public static TestMaster start() throws IOException {
        return new TestMaster("127.0.0.1:0");
    }

    /** A master on a given port (a master coming back after an outage). */
    public static TestMaster startOn(int port) throws IOException {
        return new TestMaster("127.0.0.1:" + port);
    }

    public String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public void cache(String url, String publicKey) {
        this.cacheUrl = url;
        this.cacheKey = publicKey;
    }

    /** Replaces the assignment of every worker: answers waiting long polls and notifies the workers. */
    public synchronized void assign(List<Vm> next) {
        vms = List.copyOf(next);
        revision++;
        for (Poll poll : polls) {
            answer(poll, true);
        }
        for (Worker.Client worker : workers.values()) {
            long pushed = revision;
            worker.notify(p -> p.setRevision(pushed));
        }
    }

    public int registrations() {
        return registrations;
    }

    public Observed observed(String vm, int replica) {
        return observed.get(vm + "." + replica);
    }

    /** "vm.replica check healthy|unhealthy" for every HealthResult received, in order. */
    public List<String> healthLog() {
        return List.copyOf(healthLog);
    }

    /** Waits until the reported state of a replica matches, or fails with what was last seen. */
    public Observed await(String vm, int replica, Predicate<Observed> condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            Observed seen = observed(vm, replica);
            if (seen != null && condition.test(seen)) {
                return seen;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("replica " + vm + "." + replica + " did not reach the expected state within "
                + seconds + " s; last reported: " + observed(vm, replica));
    }

    @Override
    protected CompletableFuture<?> registerWorker(CallContext<Master.RegisterWorkerParams.Reader,
            Master.RegisterWorkerResults.Builder> call) {
        Common.WorkerInfo.Reader info = call.params().getInfo();
        String id = info.getWorkerId().toString();
        if (id.isEmpty() || !info.getApiUrl().toString().startsWith("http")) {
            throw MasterErrors.invalid("a worker registers with its id and apiUrl");
        }
        Worker.Client worker = call.params().getWorker();
        workers.put(id, worker);
        worker.whenDisconnected().thenRun(() -> workers.remove(id, worker));
        registrations++;
        call.results().setWorkerId(id);
        call.results().setHeartbeatIntervalMillis(1000);
        return null;
    }

    @Override
    protected CompletableFuture<?> heartbeat(CallContext<Master.HeartbeatParams.Reader, Master.HeartbeatResults.Builder> call) {
        call.results().setKnown(workers.containsKey(call.params().getWorkerId().toString()));
        return null;
    }

    @Override
    protected synchronized CompletableFuture<?> getAssignment(CallContext<Master.GetAssignmentParams.Reader,
            Master.GetAssignmentResults.Builder> call) {
        String workerId = call.params().getWorkerId().toString();
        requireKnown(workerId);
        Poll poll = new Poll(workerId, call.params().getKnownRevision(), new CompletableFuture<>(), call);
        if (poll.knownRevision() != revision) {
            answer(poll, true);
            return poll.answer();
        }
        polls.add(poll);
        long timeout = call.params().getTimeoutMillis() == 0 ? 30_000 : Integer.toUnsignedLong(call.params().getTimeoutMillis());
        CompletableFuture.delayedExecutor(timeout, TimeUnit.MILLISECONDS).execute(() -> {
            synchronized (this) {
                answer(poll, false);
            }
        });
        return poll.answer();
    }

    private void answer(Poll poll, boolean changed) {
        if (poll.answer().isDone()) {
            return;
        }
        polls.remove(poll);
        Master.GetAssignmentResults.Builder results = poll.call().results();
        results.setChanged(changed);
        Common.Assignment.Builder assignment = results.initAssignment();
        assignment.setWorkerId(poll.workerId());
        assignment.setRevision(revision);
        assignment.setCacheUrl(cacheUrl);
        assignment.setCachePublicKey(cacheKey);
        List<Vm> current = vms;
        var list = assignment.initVms(current.size());
        for (int i = 0; i < current.size(); i++) {
            Vm vm = current.get(i);
            Common.AssignedVm.Builder out = list.get(i);
            out.setVm(vm.name());
            out.setReplica(vm.replica());
            BlueprintCapnp.write(vm.name(), vm.spec(), out.initSpec());
            out.setStorePath(vm.storePath());
            out.setPreviousStorePath(vm.previousStorePath() == null ? "" : vm.previousStorePath());
            out.setSource("test/cluster@main");
            out.setGeneration(revision);
        }
        poll.answer().complete(null);
    }

    @Override
    protected CompletableFuture<?> pushData(CallContext<Master.PushDataParams.Reader, Master.PushDataResults.Builder> call) {
        requireKnown(call.params().getWorkerId().toString());
        for (Common.VmStatus.Reader status : call.params().getVms()) {
            Map<Integer, Integer> ports = new java.util.LinkedHashMap<>();
            for (Common.PortMapping.Reader port : status.getPorts()) {
                ports.put(Short.toUnsignedInt(port.getGuest()), Short.toUnsignedInt(port.getHost()));
            }
            Observed seen = new Observed(status.getVm().toString(), status.getReplica(), status.getStorePath().toString(),
                    status.getPhase().name().toLowerCase(), status.getHealth().name().toLowerCase(),
                    status.getAddress().toString(), ports,
                    status.getBackend() == Common.Backend.QEMU ? "qemu" : "cloud-hypervisor",
                    status.getStartedAtMillis(), status.getRolledBackFrom().toString(), status.getMessage().toString());
            observed.put(seen.vm() + "." + seen.replica(), seen);
        }
        for (Common.HealthResult.Reader result : call.params().getHealth()) {
            healthLog.add(result.getVm() + "." + result.getReplica() + " " + result.getCheck() + " "
                    + (result.getHealthy() ? "healthy" : "unhealthy"));
        }
        return null;
    }

    @Override
    protected CompletableFuture<?> getLeader(CallContext<Master.GetLeaderParams.Reader, Master.GetLeaderResults.Builder> call) {
        call.results().setLeader("test-master");
        call.results().setRpcAddress(address());
        call.results().setIsLeader(true);
        return null;
    }

    private void requireKnown(String workerId) {
        if (!workers.containsKey(workerId)) {
            throw MasterErrors.unknownWorker(workerId);
        }
    }

    /** The worker capability a registered worker handed over (to call stopVm, collectLogs). */
    public Worker.Client worker(String id) {
        return workers.get(id);
    }

    @Override
    public void close() {
        for (Poll poll : polls) {
            poll.answer().cancel(false);
        }
        server.close();
    }
}
