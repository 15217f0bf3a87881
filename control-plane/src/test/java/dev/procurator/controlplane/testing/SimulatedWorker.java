package dev.procurator.controlplane.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.procurator.capnp.rpc.CallContext;
import dev.procurator.schema.Common;
import dev.procurator.schema.MasterRpc.Master;
import dev.procurator.schema.WorkerRpc.Worker;
import dev.procurator.schema.client.MasterEndpoints;
import dev.procurator.schema.client.MasterErrors;

/**
 * A worker agent reduced to its contract with the master, over real Cap'n Proto sockets: finds the leader among the
 * endpoints, registers (handing over its Worker capability, whose notify wakes it), heartbeats, long-polls its
 * assignment, and reports every assigned replica as running with the health its {@link #health} policy gives the
 * replica's closure. {@link #crash()} stops it without a word, as a lost host would.
 */
public final class SimulatedWorker implements AutoCloseable {

    /** One replica the worker holds. */
    public record Held(String vm, int replica, String storePath, long generation, String source) {
    }

    private final MasterEndpoints endpoints;
    private final String id;
    private final double cpu;
    private final long memoryMb;
    private final List<String> labels;
    private final Duration heartbeatEvery;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private volatile Function<String, Common.Health> health = closure -> Common.Health.HEALTHY;
    private volatile boolean running = true;
    private volatile boolean registered;
    private volatile long revision = -1;
    private volatile long lastAssignmentAt;
    private volatile CompletableFuture<Void> wake = new CompletableFuture<>();
    private volatile MasterEndpoints.Connection connection;
    private final Thread loop;
    private final Thread reporter;

    public SimulatedWorker(String endpoints, String id, double cpu, long memoryMb, List<String> labels,
                           Duration heartbeatEvery) {
        this.endpoints = MasterEndpoints.parse(endpoints);
        this.id = id;
        this.cpu = cpu;
        this.memoryMb = memoryMb;
        this.labels = labels;
        this.heartbeatEvery = heartbeatEvery;
        this.loop = Thread.ofVirtual().name("sim-worker-" + id).start(this::connectLoop);
        this.reporter = Thread.ofVirtual().name("sim-report-" + id).start(this::reportLoop);
    }

    public SimulatedWorker(String endpoints, String id) {
        this(endpoints, id, 8, 16384, List.of(), Duration.ofMillis(100));
    }

    public String id() {
        return id;
    }

    /** The health reported for replicas running a closure. */
    public SimulatedWorker health(Function<String, Common.Health> policy) {
        this.health = policy;
        return this;
    }

    public Map<String, Held> held() {
        return Map.copyOf(held);
    }

    public long revision() {
        return revision;
    }

    public boolean isRegistered() {
        return registered;
    }

    /** When the newest assignment arrived (System.nanoTime). */
    public long lastAssignmentAt() {
        return lastAssignmentAt;
    }

    private final class Endpoint extends Worker.Server {
        @Override
        protected CompletionStage<?> notify(CallContext<Worker.NotifyParams.Reader, Worker.NotifyResults.Builder> call) {
            if (call.params().getRevision() != revision) {
                wake.complete(null);
            }
            return null;
        }
    }

    private void connectLoop() {
        while (running) {
            try (MasterEndpoints.Connection open = endpoints.connectToLeader(null, new Endpoint())) {
                connection = open;
                register(open.master());
                poll(open.master());
            } catch (Exception e) {
                if (MasterErrors.UNKNOWN_WORKER.equals(MasterErrors.code(e))) {
                    registered = false;
                }
            } finally {
                connection = null;
                registered = false;
            }
            sleep(100);
        }
    }

    private void register(Master.Client master) throws Exception {
        master.registerWorker(p -> {
            Common.WorkerInfo.Builder info = p.initInfo();
            info.setWorkerId(id);
            info.setHostname(id + ".test");
            info.setAddress("127.0.0.1");
            info.setApiUrl("http://" + id + ".test:7450");
            info.setAgentVersion("simulated");
            Common.Resources.Builder capacity = info.initCapacity();
            capacity.setCpu(cpu);
            capacity.setMemoryMb(memoryMb);
            capacity.setDiskMb(100_000);
            var list = info.initLabels(labels.size());
            for (int i = 0; i < labels.size(); i++) {
                list.set(i, new org.capnproto.Text.Reader(labels.get(i)));
            }
            p.setWorker(new Worker.Client(new Endpoint()));
        }).get(10, TimeUnit.SECONDS);
        registered = true;
    }

    private void poll(Master.Client master) throws Exception {
        while (running) {
            if (!registered) {
                register(master);
            }
            CompletableFuture<Void> woken = wake;
            long known = revision;
            var longPoll = master.getAssignment(p -> {
                p.setWorkerId(id);
                p.setKnownRevision(known);
                p.setTimeoutMillis(2000);
            });
            CompletableFuture.anyOf(longPoll, woken).get(15, TimeUnit.SECONDS);
            if (!longPoll.isDone()) {
                wake = new CompletableFuture<>();
                accept(master.getAssignment(p -> {
                    p.setWorkerId(id);
                    p.setKnownRevision(revision);
                    p.setTimeoutMillis(1);
                }).get(10, TimeUnit.SECONDS).getAssignment());
                longPoll.get(15, TimeUnit.SECONDS);
            } else {
                accept(longPoll.get().getAssignment());
            }
            if (woken.isDone() && wake == woken) {
                wake = new CompletableFuture<>();
            }
        }
    }

    private synchronized void accept(Common.Assignment.Reader assignment) {
        if (assignment.getRevision() == revision) {
            return;
        }
        Map<String, Held> next = new ConcurrentHashMap<>();
        for (Common.AssignedVm.Reader vm : assignment.getVms()) {
            Held replica = new Held(vm.getVm().toString(), vm.getReplica(), vm.getStorePath().toString(),
                    vm.getGeneration(), vm.getSource().toString());
            next.put(replica.vm() + "/" + replica.replica(), replica);
        }
        held.keySet().retainAll(next.keySet());
        held.putAll(next);
        revision = assignment.getRevision();
        lastAssignmentAt = System.nanoTime();
    }

    private void reportLoop() {
        long lastHeartbeat = 0;
        while (running) {
            MasterEndpoints.Connection open = connection;
            if (open != null && registered) {
                try {
                    if (System.nanoTime() - lastHeartbeat >= heartbeatEvery.toNanos()) {
                        lastHeartbeat = System.nanoTime();
                        boolean known = open.master().heartbeat(p -> {
                            p.setWorkerId(id);
                            p.initMetrics().setRunningVms(held.size());
                        }).get(10, TimeUnit.SECONDS).getKnown();
                        if (!known) {
                            registered = false;
                            wake.complete(null);
                        }
                    }
                    push(open.master());
                } catch (Exception e) {
                    if (MasterErrors.UNKNOWN_WORKER.equals(MasterErrors.code(e))) {
                        registered = false;
                        wake.complete(null);
                    }
                }
            }
            sleep(50);
        }
    }

    private void push(Master.Client master) throws Exception {
        List<Held> replicas = List.copyOf(held.values());
        Function<String, Common.Health> policy = health;
        master.pushData(p -> {
            p.setWorkerId(id);
            var vms = p.initVms(replicas.size());
            for (int i = 0; i < replicas.size(); i++) {
                Held replica = replicas.get(i);
                Common.VmStatus.Builder status = vms.get(i);
                status.setVm(replica.vm());
                status.setReplica(replica.replica());
                status.setWorkerId(id);
                status.setGeneration(replica.generation());
                status.setStorePath(replica.storePath());
                Common.Health h = policy.apply(replica.storePath());
                status.setPhase(h == Common.Health.UNHEALTHY ? Common.VmPhase.FAILED : Common.VmPhase.RUNNING);
                status.setHealth(h);
                status.setHealthy(h == Common.Health.HEALTHY);
                status.setMessage(h == Common.Health.UNHEALTHY ? "http :8080/health: HTTP 503" : "");
                status.setSource(replica.source());
            }
            p.initMetrics().setRunningVms(replicas.size());
            p.initHealth(0);
        }).get(10, TimeUnit.SECONDS);
    }

    /** Stops without a goodbye: no more heartbeats, polls or reports; the connection drops. */
    public void crash() {
        running = false;
        wake.complete(null);
        MasterEndpoints.Connection open = connection;
        if (open != null) {
            open.close();
        }
        loop.interrupt();
        reporter.interrupt();
    }

    @Override
    public void close() {
        crash();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
