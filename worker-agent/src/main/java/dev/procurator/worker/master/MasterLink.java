package dev.procurator.worker.master;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

import dev.procurator.schema.Common;
import dev.procurator.schema.MasterRpc.Master;
import dev.procurator.schema.WorkerRpc.Worker;
import dev.procurator.schema.client.MasterEndpoints;
import dev.procurator.schema.client.MasterErrors;
import dev.procurator.worker.closure.CacheResolver;
import dev.procurator.worker.config.HostName;
import dev.procurator.worker.config.WorkerProperties;
import dev.procurator.worker.host.HostStats;
import dev.procurator.worker.vm.ReplicaView;
import dev.procurator.worker.vm.StatusChanges;
import dev.procurator.worker.vm.VmSupervisor;
import dev.procurator.worker.vmm.VmmDrivers;

/**
 * The agent's side of the {@code Master} contract: finds the leader among {@code PROCURATOR_CONTROL_PLANE_RPC},
 * registers (handing over its {@code Worker} capability), heartbeats, long-polls {@code getAssignment} (woken early
 * by {@code notify}) and reports with {@code pushData} on every change and every {@code reportInterval}. When the
 * master is unreachable or not the leader it reconnects with jittered exponential backoff, to the leader named by a
 * {@code not_leader} error or to the next endpoint; {@code unknown_worker} means register again. Running VMs are
 * never touched by any of this.
 */
public class MasterLink implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MasterLink.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    private static final long NO_REVISION = -1;

    private final WorkerProperties properties;
    private final MasterEndpoints endpoints;
    private final java.util.function.Supplier<String> apiUrl;
    private final VmSupervisor supervisor;
    private final HostStats host;
    private final VmmDrivers drivers;
    private final CacheResolver caches;
    private final StatusChanges changes;
    private final Executor executor;
    private final TaskScheduler scheduler;
    private final WorkerEndpoint endpoint;

    private volatile boolean running;
    private volatile MasterEndpoints.Connection connection;
    private volatile String workerId;
    private volatile boolean registered;
    private volatile long knownRevision = NO_REVISION;
    private volatile CompletableFuture<Long> wake = new CompletableFuture<>();
    private volatile ScheduledFuture<?> heartbeat;
    private volatile String state = "starting";
    private final List<VmSupervisor.HealthReport> unsent = new ArrayList<>();

    public MasterLink(WorkerProperties properties, String controlPlaneRpc, java.util.function.Supplier<String> apiUrl,
                      VmSupervisor supervisor,
                      HostStats host, VmmDrivers drivers, CacheResolver caches, StatusChanges changes,
                      Executor executor, TaskScheduler scheduler) {
        this.properties = properties;
        this.endpoints = MasterEndpoints.parse(controlPlaneRpc);
        this.apiUrl = apiUrl;
        this.supervisor = supervisor;
        this.host = host;
        this.drivers = drivers;
        this.caches = caches;
        this.changes = changes;
        this.executor = executor;
        this.scheduler = scheduler;
        this.endpoint = new WorkerEndpoint(supervisor, this, executor);
    }

    @Override
    public void start() {
        running = true;
        executor.execute(this::connectLoop);
        executor.execute(this::reportLoop);
    }

    @Override
    public void stop() {
        running = false;
        wake.complete(NO_REVISION);
        changes.signal();
        MasterEndpoints.Connection open = connection;
        if (open != null) {
            open.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the VM supervisor (it adopts VMs first) and the web server (its port is in the {@code apiUrl}). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }

    /** "connected to host:port as id", "reconnecting: ...": for the dashboard. */
    public String state() {
        return state;
    }

    /** {@code Worker.notify}: the assignment changed; poll now if it is news. */
    void notified(long revision) {
        if (revision != knownRevision) {
            wake.complete(revision);
        }
    }

    // ------------------------------------------------------------------ connection

    private void connectLoop() {
        int attempt = 0;
        String preferred = null;
        while (running) {
            try (MasterEndpoints.Connection open = endpoints.connectToLeader(preferred, endpoint)) {
                connection = open;
                preferred = open.address();
                register(open.master());
                attempt = 0;
                pollLoop(open.master());
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                String code = MasterErrors.code(e);
                if (MasterErrors.NOT_LEADER.equals(code)) {
                    preferred = MasterErrors.leaderAddress(e).orElse(null);
                }
                state = "reconnecting (" + code + "): " + MasterErrors.message(e);
                log.warn("Control plane link lost ({}): {}; running VMs keep running", code, MasterErrors.message(e));
            } finally {
                connection = null;
                registered = false;
                cancelHeartbeat();
            }
            if (!running) {
                break;
            }
            Duration wait = MasterEndpoints.backoff(attempt++, properties.reconnectInitial(), properties.reconnectMax());
            sleep(wait);
        }
    }

    private void register(Master.Client master) throws Exception {
        HostStats.Capacity capacity = host.capacity();
        var result = master.registerWorker(p -> {
            Common.WorkerInfo.Builder info = p.initInfo();
            info.setWorkerId(properties.id());
            info.setHostname(HostName.get());
            info.setAddress(HostName.get());
            Common.Resources.Builder resources = info.initCapacity();
            resources.setCpu(capacity.cpu());
            resources.setMemoryMb(capacity.memoryMb());
            resources.setDiskMb(capacity.diskMb());
            var labels = info.initLabels(properties.labels().size());
            for (int i = 0; i < properties.labels().size(); i++) {
                labels.set(i, new org.capnproto.Text.Reader(properties.labels().get(i)));
            }
            List<Common.Backend> backends = drivers.installed();
            var list = info.initBackends(backends.size());
            for (int i = 0; i < backends.size(); i++) {
                list.set(i, backends.get(i));
            }
            String version = MasterLink.class.getPackage().getImplementationVersion();
            info.setAgentVersion(version == null ? "dev" : version);
            info.setApiUrl(apiUrl.get());
            p.setWorker(new Worker.Client(endpoint));
        }).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        workerId = result.getWorkerId().toString();
        registered = true;
        long interval = Math.max(1000, Integer.toUnsignedLong(result.getHeartbeatIntervalMillis()));
        cancelHeartbeat();
        heartbeat = scheduler.scheduleWithFixedDelay(() -> heartbeat(master), Instant.now().plusMillis(interval),
                Duration.ofMillis(interval));
        state = "connected to " + connection.address() + " as " + workerId;
        log.info("Registered with the control plane at {} as {} (heartbeat every {} ms)", connection.address(),
                workerId, interval);
        changes.signal();
    }

    private void pollLoop(Master.Client master) throws Exception {
        CompletableFuture<Master.GetAssignmentResults.Reader> longPoll = null;
        while (running) {
            if (!registered) {
                register(master);
            }
            CompletableFuture<Long> woken = wake;
            if (longPoll == null) {
                longPoll = master.getAssignment(p -> {
                    p.setWorkerId(workerId);
                    p.setKnownRevision(knownRevision);
                    p.setTimeoutMillis((int) properties.pollTimeout().toMillis());
                });
            }
            CompletableFuture.anyOf(longPoll, woken)
                    .get(properties.pollTimeout().plus(CALL_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
            if (longPoll.isDone()) {
                Master.GetAssignmentResults.Reader result = longPoll.get();
                longPoll = null;
                accept(result);
            } else {
                // notify: ask now (the long poll stays pending and is reused)
                wake = new CompletableFuture<>();
                accept(master.getAssignment(p -> {
                    p.setWorkerId(workerId);
                    p.setKnownRevision(knownRevision);
                    p.setTimeoutMillis(1);
                }).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            }
        }
    }

    private void accept(Master.GetAssignmentResults.Reader result) {
        Common.Assignment.Reader assignment = result.getAssignment();
        long revision = assignment.getRevision();
        boolean first = knownRevision == NO_REVISION;
        if (!first && Long.compareUnsigned(revision, knownRevision) <= 0 && supervisor.assignmentSeen()) {
            return;     // a long poll answering late with what we already have
        }
        knownRevision = revision;
        var replicas = AssignmentReader.read(assignment, caches);
        log.info("Assignment revision {}: {} replica(s)", revision, replicas.size());
        supervisor.apply(replicas);
    }

    private void heartbeat(Master.Client master) {
        if (!registered) {
            return;
        }
        try {
            HostStats.Usage usage = host.usage();
            boolean known = master.heartbeat(p -> {
                p.setWorkerId(workerId);
                StatusWriter.metrics(usage, supervisor.runningVms(), p.initMetrics());
            }).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getKnown();
            if (!known) {
                log.info("The control plane forgot this worker: registering again");
                registered = false;
                wake.complete(knownRevision);
            }
        } catch (Exception e) {
            handleCallFailure("heartbeat", e);
        }
    }

    // ------------------------------------------------------------------ reporting

    private void reportLoop() {
        while (running) {
            try {
                changes.await(properties.reportInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            MasterEndpoints.Connection open = connection;
            if (open == null || !registered || !running) {
                continue;
            }
            push(open.master());
        }
    }

    private void push(Master.Client master) {
        List<ReplicaView> views = supervisor.views();
        List<VmSupervisor.HealthReport> health;
        synchronized (unsent) {
            unsent.addAll(supervisor.drainHealthReports());
            health = List.copyOf(unsent);
        }
        HostStats.Usage usage = host.usage();
        try {
            master.pushData(p -> {
                p.setWorkerId(workerId);
                StatusWriter.vms(views, workerId, p.initVms(views.size()));
                StatusWriter.metrics(usage, supervisor.runningVms(), p.initMetrics());
                StatusWriter.health(health, p.initHealth(health.size()));
            }).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (unsent) {
                unsent.subList(0, Math.min(health.size(), unsent.size())).clear();
            }
        } catch (Exception e) {
            handleCallFailure("pushData", e);
        }
    }

    private void handleCallFailure(String call, Exception e) {
        String code = MasterErrors.code(e);
        if (MasterErrors.UNKNOWN_WORKER.equals(code)) {
            registered = false;
            wake.complete(knownRevision);
        } else if (MasterErrors.NOT_LEADER.equals(code)) {
            MasterEndpoints.Connection open = connection;
            if (open != null) {
                open.close();   // the poll loop fails and reconnects to the leader
            }
        }
        log.warn("{} failed ({}): {}", call, code, MasterErrors.message(e));
    }

    private void cancelHeartbeat() {
        ScheduledFuture<?> beat = heartbeat;
        if (beat != null) {
            beat.cancel(false);
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
