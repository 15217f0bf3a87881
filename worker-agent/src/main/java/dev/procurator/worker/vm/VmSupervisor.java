package dev.procurator.worker.vm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

import dev.procurator.schema.blueprint.Blueprint;
import dev.procurator.worker.cgroup.CgroupException;
import dev.procurator.worker.cgroup.Cgroups;
import dev.procurator.worker.closure.Closure;
import dev.procurator.worker.closure.ClosureException;
import dev.procurator.worker.closure.ClosureStore;
import dev.procurator.worker.config.WorkerProperties;
import dev.procurator.worker.console.ConsoleCapture;
import dev.procurator.worker.console.ConsoleLog;
import dev.procurator.worker.health.HealthMonitor;
import dev.procurator.worker.health.HealthProbe;
import dev.procurator.worker.host.ProcessStats;
import dev.procurator.worker.network.LinkAddresses;
import dev.procurator.worker.network.LoopbackForwarder;
import dev.procurator.worker.network.Ports;
import dev.procurator.worker.network.TapDevices;
import dev.procurator.worker.vmm.GuestNetwork;
import dev.procurator.worker.vmm.VmmDriver;
import dev.procurator.worker.vmm.VmmDrivers;
import dev.procurator.worker.vmm.VmmException;
import dev.procurator.worker.vmm.VmmInstance;
import dev.procurator.worker.vmm.VmmLaunch;
import dev.procurator.worker.vmm.VmmProcesses;

/**
 * Converges this host on its assignment, one replica at a time per replica and replicas in parallel:
 * <ul>
 * <li>a new (vm, replica) is fetched and booted;</li>
 * <li>the same pair with another closure is replaced in place: the new closure is fetched first (the running VM is
 * untouched meanwhile), then the old VM stopped and the new one booted; when it fails its checks (unhealthy, or not
 * healthy within the strategy's {@code healthyDeadline}) and the VM has {@code autoRollback}, the previous closure is
 * booted again and the failed one reported as {@code rolledBackFrom};</li>
 * <li>a replica no longer assigned is stopped.</li>
 * </ul>
 * On start it adopts the VMMs an earlier run left (their records on disk), keeps them running and touches nothing
 * until the first assignment says which to keep. VMMs outlive the agent: a stopping agent leaves them running (unless
 * {@code stop-vms-on-exit} says otherwise).
 */
public class VmSupervisor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(VmSupervisor.class);
    private static final String LOOPBACK = "127.0.0.1";

    private final WorkerProperties properties;
    private final ReplicaFiles files;
    private final ClosureStore closures;
    private final VmmDrivers drivers;
    private final Cgroups cgroups;
    private final TapDevices taps;
    private final HealthProbe probe;
    private final TaskScheduler scheduler;
    private final Executor executor;
    private final StatusChanges changes;
    private final Map<ReplicaKey, Replica> replicas = new ConcurrentSkipListMap<>();
    private final ConcurrentLinkedQueue<HealthReport> healthReports = new ConcurrentLinkedQueue<>();
    private final Ports ports = new Ports();
    private volatile boolean assignmentSeen;
    private volatile boolean running;

    /** A health check outcome for the master. */
    public record HealthReport(ReplicaKey key, HealthMonitor.Result result) {
    }

    public VmSupervisor(WorkerProperties properties, ReplicaFiles files, ClosureStore closures, VmmDrivers drivers,
                        Cgroups cgroups, TapDevices taps, HealthProbe probe, TaskScheduler scheduler,
                        Executor executor, StatusChanges changes) {
        this.properties = properties;
        this.files = files;
        this.closures = closures;
        this.drivers = drivers;
        this.cgroups = cgroups;
        this.taps = taps;
        this.probe = probe;
        this.scheduler = scheduler;
        this.executor = executor;
        this.changes = changes;
    }

    // ------------------------------------------------------------------ lifecycle: adoption

    @Override
    public void start() {
        for (ReplicaKey key : files.all()) {
            adopt(key);
        }
        scheduler.scheduleWithFixedDelay(this::watch, Instant.now().plusSeconds(2), Duration.ofSeconds(2));
        running = true;
    }

    /**
     * Agent shutdown leaves every VM running (the next run adopts them); only our readers and forwarders stop. With
     * {@code stop-vms-on-exit} the VMs are stopped too, and forgotten.
     */
    @Override
    public void stop() {
        running = false;
        for (Replica replica : replicas.values()) {
            if (properties.stopVmsOnExit()) {
                replica.lock.lock();
                try {
                    stopAndForget(replica, "the agent stops (stop-vms-on-exit)");
                } finally {
                    replica.lock.unlock();
                }
            } else {
                detach(replica);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Adoption happens before the web server and the master link start (and they stop before it). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2000;
    }

    private void adopt(ReplicaKey key) {
        Replica replica = newReplica(key);
        Optional<ReplicaRecord> record = files.read(key);
        if (record.isEmpty()) {
            log.info("Replica {}: directory without a running VMM; removing it", key);
            files.delete(key);
            return;
        }
        ReplicaRecord found = record.get();
        VmmDriver driver = drivers.byBackend(VmmDrivers.backendOf(found.backend()));
        Optional<VmmInstance> vmm = driver.attach(replica.dir, found.pid());
        replicas.put(key, replica);
        if (vmm.isEmpty()) {
            files.clearRecord(key);
            replica.phase(Phase.FAILED, "its VMM (pid " + found.pid() + ") exited while the agent was down");
            log.warn("Replica {}: VMM pid {} is gone; it is started again if still assigned", key, found.pid());
            return;
        }
        replica.record = found;
        replica.vmm = vmm.get();
        ports.hold(found.ports().stream().map(ReplicaRecord.Port::host).toList());
        replica.group = cgroups.existing(key.id());
        replica.limits = replica.group.unsupported() == null ? cgroups.description() : replica.group.unsupported();
        attachRuntime(replica, found);
        replica.phase(Phase.RUNNING, "adopted after an agent restart");
        replica.console.note("agent restarted: adopted VMM pid " + found.pid() + " running " + found.storePath());
        log.info("Replica {}: adopted {} VMM pid {} running {}", key, found.backend(), found.pid(), found.storePath());
    }

    // ------------------------------------------------------------------ assignment

    /** The assignment changed: converge on it. The first one also decides the fate of adopted VMs. */
    public void apply(Collection<DesiredReplica> wanted) {
        assignmentSeen = true;
        Set<ReplicaKey> keys = new HashSet<>();
        for (DesiredReplica desired : wanted) {
            keys.add(desired.key());
            Replica replica = replicas.computeIfAbsent(desired.key(), this::newReplica);
            replica.desired = desired;
        }
        for (Replica replica : replicas.values()) {
            if (!keys.contains(replica.key)) {
                replica.desired = null;
            }
        }
        replicas.values().forEach(this::converge);
        changes.signal();
    }

    /** Whether an assignment was received since the agent started. */
    public boolean assignmentSeen() {
        return assignmentSeen;
    }

    private void converge(Replica replica) {
        executor.execute(() -> {
            replica.lock.lock();
            try {
                convergeLocked(replica);
            } catch (RuntimeException e) {
                log.error("Replica {}: {}", replica.key, e.getMessage(), e);
                replica.phase(Phase.FAILED, e.getMessage());
            } finally {
                replica.lock.unlock();
                closures.retain(neededClosures());
                changes.signal();
            }
        });
    }

    private void convergeLocked(Replica replica) {
        DesiredReplica desired = replica.desired;
        ReplicaRecord record = replica.record;
        if (desired == null) {
            if (assignmentSeen) {
                stopAndForget(replica, "no longer assigned to this worker");
            }
            return;
        }
        if (record == null || replica.vmm == null) {
            boot(replica, desired, desired.storePath(), null);
            return;
        }
        if (record.storePath().equals(desired.storePath())) {
            keep(replica, desired, record);
        } else if (desired.storePath().equals(record.rolledBackFrom())) {
            // Rolled back from this very closure: keep the restored one until the assignment moves on.
            keep(replica, desired, record);
        } else {
            replace(replica, desired, record);
        }
    }

    private void keep(Replica replica, DesiredReplica desired, ReplicaRecord record) {
        ReplicaRecord updated = new ReplicaRecord(record.vm(), record.replica(), desired.spec(), record.storePath(),
                record.previousStorePath(), record.rolledBackFrom(), desired.source(), desired.generation(),
                record.backend(), record.pid(), record.startedAtMillis(), record.ports(), record.tap(), record.link());
        if (!updated.equals(record)) {
            files.write(updated);
            replica.record = updated;
        }
        if (!desired.spec().deployment().healthChecks().equals(record.spec().deployment().healthChecks())) {
            startMonitor(replica, updated);
        }
    }

    /** Replaces the running closure in place; rolls back when the new one fails its checks. */
    private void replace(Replica replica, DesiredReplica desired, ReplicaRecord old) {
        String target = desired.storePath();
        long assignedAt = System.currentTimeMillis();
        Closure closure = fetch(replica, desired, target, " (the running VM is untouched meanwhile)");
        if (closure == null) {
            return;
        }
        long fetchedAt = System.currentTimeMillis();
        String previous = desired.previousStorePath().isBlank() ? old.storePath() : desired.previousStorePath();
        replica.console.note("replacing " + old.storePath() + " with " + target);
        stopVmm(replica, "replaced by " + target);
        boolean booted = launch(replica, desired, closure, previous, null, assignedAt, fetchedAt);
        if (!booted || !desired.spec().deployment().autoRollback() || previous.isBlank()) {
            return;
        }
        String failure = awaitVerdict(replica, desired.spec());
        if (failure == null) {
            return;
        }
        log.warn("Replica {}: {} failed its checks ({}); rolling back to {}", replica.key, target, failure, previous);
        replica.console.note("rolling back to " + previous + ": " + target + " " + failure);
        stopVmm(replica, "rolled back");
        Closure restored;
        try {
            restored = closures.fetch(previous, desired.cache());
        } catch (ClosureException e) {
            replica.phase(Phase.FAILED, "cannot roll back to " + previous + ": " + e.getMessage());
            return;
        }
        if (launch(replica, desired, restored, "", target, System.currentTimeMillis(), System.currentTimeMillis())) {
            replica.message = "rolled back from " + target + ": " + failure;
        }
    }

    /** Null when the closure just booted turned healthy; otherwise why it failed. */
    private String awaitVerdict(Replica replica, Blueprint.Vm spec) {
        int deadline = spec.deployment().strategy() == null ? 300 : spec.deployment().strategy().healthyDeadline();
        try {
            HealthMonitor.Health health = replica.verdict.get(deadline, TimeUnit.SECONDS);
            return health == HealthMonitor.Health.HEALTHY ? null : "is unhealthy: " + lastFailure(replica);
        } catch (TimeoutException e) {
            return "was not healthy within the healthy deadline of " + deadline + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause().getMessage();
        }
    }

    private static String lastFailure(Replica replica) {
        HealthMonitor monitor = replica.monitor;
        return monitor == null ? "" : monitor.lastResults().stream().filter(r -> !r.healthy())
                .map(r -> r.check() + ": " + r.message()).findFirst().orElse("");
    }

    private void boot(Replica replica, DesiredReplica desired, String storePath, String rolledBackFrom) {
        long assignedAt = System.currentTimeMillis();
        Closure closure = fetch(replica, desired, storePath, "");
        if (closure == null) {
            return;
        }
        launch(replica, desired, closure, desired.previousStorePath(), rolledBackFrom, assignedAt,
                System.currentTimeMillis());
    }

    /** The closure, fetched and pinned; null (phase failed, reported) when it is refused or cannot be had. */
    private Closure fetch(Replica replica, DesiredReplica desired, String storePath, String note) {
        replica.phase(Phase.FETCHING, "fetching " + storePath + note);
        changes.signal();
        try {
            return closures.fetch(storePath, desired.cache());
        } catch (ClosureException e) {
            replica.phase(Phase.FAILED, e.getMessage());
            replica.console.note("refused " + storePath + ": " + e.getMessage());
            log.warn("Replica {}: {}", replica.key, e.getMessage());
            return null;
        }
    }

    /** Boots {@code closure} for the replica and records it durably; false (phase failed) when it cannot. */
    private boolean launch(Replica replica, DesiredReplica desired, Closure closure, String previous,
                           String rolledBackFrom, long assignedAt, long fetchedAt) {
        Blueprint.Vm spec = desired.spec();
        replica.phase(Phase.STARTING, "booting " + closure.storePath());
        replica.verdict = new java.util.concurrent.CompletableFuture<>();
        replica.timings = new Replica.BootTimings(assignedAt, fetchedAt, 0, 0);
        replica.console.resetFirstOutput();
        changes.signal();
        ReplicaRecord old = replica.record != null ? replica.record : files.read(replica.key).orElse(null);
        VmmDriver driver;
        Cgroups.Group group = null;
        String tap = null;
        try {
            driver = drivers.select(replica.key.vm(), spec.deployment().backend());
            List<ReplicaRecord.Port> ports = portsFor(spec, old);
            int link = old != null && old.link() >= 0 ? old.link() : -1;
            GuestNetwork network;
            if (properties.network() == WorkerProperties.Network.TAP) {
                tap = tapName(replica.key);
                taps.create(tap);
                network = new GuestNetwork.Tap(tap, macOf(replica.key), properties.bridge(),
                        spec.deployment().addr(), properties.tapGateway(), properties.tapNetmask());
            } else if (driver.backend() == dev.procurator.schema.Common.Backend.CLOUD_HYPERVISOR) {
                link = link >= 0 ? link : LinkAddresses.allocate(usedLinks());
                tap = tapName(replica.key);
                network = new GuestNetwork.User(forwards(ports), tap, LinkAddresses.host(link), LinkAddresses.guest(link));
            } else {
                network = new GuestNetwork.User(forwards(ports), null, null, null);
            }
            group = cgroups.create(replica.key.id(), spec.cpu(),
                    (spec.memory().megabytes() + properties.memoryOverhead().toMegabytes()) * 1024 * 1024);
            replica.group = group;
            replica.limits = group.unsupported() == null ? cgroups.description() : group.unsupported();
            if (group.unsupported() != null) {
                log.warn("Replica {}: {}", replica.key, group.unsupported());
            }
            int cpus = (int) Math.max(1, Math.ceil(spec.cpu()));
            VmmInstance vmm = driver.launch(new VmmLaunch(replica.key.id(), replica.dir, closure, cpus,
                    spec.memory().megabytes(), network, group));
            ReplicaRecord record = new ReplicaRecord(replica.key.vm(), replica.key.replica(), spec,
                    closure.storePath(), previous == null ? "" : previous, rolledBackFrom, desired.source(),
                    desired.generation(), VmmDrivers.name(driver.backend()), vmm.pid(), System.currentTimeMillis(),
                    ports, tap, link);
            files.write(record);
            replica.record = record;
            replica.vmm = vmm;
            replica.timings = new Replica.BootTimings(assignedAt, fetchedAt, System.currentTimeMillis(), 0);
            attachRuntime(replica, record);
            // VmStatus has no field for limits: a host that cannot apply them says so in the message.
            String note = group.unsupported() == null ? "" : group.unsupported();
            replica.phase(Phase.RUNNING, rolledBackFrom == null ? note : "rolled back from " + rolledBackFrom);
            replica.console.note("booted " + closure.storePath() + " with " + record.backend() + " (pid " + vmm.pid()
                    + ", " + replica.limits + ")");
            log.info("Replica {}: running {} with {} pid {}", replica.key, closure.storePath(), record.backend(),
                    vmm.pid());
            return true;
        } catch (VmmException | CgroupException | ClosureException e) {
            replica.phase(Phase.FAILED, e.getMessage());
            replica.console.note("cannot boot " + closure.storePath() + ": " + e.getMessage());
            log.warn("Replica {}: cannot boot {}: {}", replica.key, closure.storePath(), e.getMessage());
            if (group != null) {
                group.remove();
            }
            if (tap != null && properties.network() == WorkerProperties.Network.TAP) {
                taps.delete(tap);
            }
            return false;
        }
    }

    /** Console reader, port forwarders and health monitor of a running VMM (after a boot or an adoption). */
    private void attachRuntime(Replica replica, ReplicaRecord record) {
        VmmInstance vmm = replica.vmm;
        replica.capture = ConsoleCapture.start(replica.dir.resolve("console.sock"), replica.console,
                () -> VmmProcesses.isVmmOf(vmm.pid(), replica.dir), executor);
        if (record.link() >= 0 && properties.network() == WorkerProperties.Network.USER) {
            for (ReplicaRecord.Port port : record.ports()) {
                replica.forwarders.add(LoopbackForwarder.start(port.host(), LinkAddresses.guest(record.link()),
                        port.guest(), executor));
            }
        }
        startMonitor(replica, record);
    }

    private void startMonitor(Replica replica, ReplicaRecord record) {
        if (replica.monitor != null) {
            replica.monitor.stop();
        }
        Map<Integer, Integer> hostPorts = new LinkedHashMap<>();
        record.ports().forEach(p -> hostPorts.put(p.guest(), p.host()));
        String address = address(record);
        HealthMonitor monitor = new HealthMonitor(record.spec().deployment().healthChecks(), probe,
                new HealthProbe.Target(replica.key.vm(), replica.key.replica(), address,
                        properties.network() == WorkerProperties.Network.TAP ? Map.of() : hostPorts),
                scheduler, result -> {
                    healthReports.add(new HealthReport(replica.key, result));
                    changes.signal();
                }, () -> onHealthChange(replica));
        replica.monitor = monitor;
        monitor.start();
        onHealthChange(replica);
    }

    private void onHealthChange(Replica replica) {
        HealthMonitor monitor = replica.monitor;
        if (monitor == null) {
            return;
        }
        HealthMonitor.Health health = monitor.health();
        if (health == HealthMonitor.Health.HEALTHY && replica.timings.healthyAt() == 0) {
            Replica.BootTimings t = replica.timings;
            replica.timings = new Replica.BootTimings(t.assignedAt(), t.fetchedAt(), t.vmmStartedAt(),
                    System.currentTimeMillis());
        }
        if (health != HealthMonitor.Health.UNKNOWN) {
            replica.verdict.complete(health);
        }
        changes.signal();
    }

    // ------------------------------------------------------------------ stopping

    /** Stops the replica's VMM, if any, and forgets the replica. */
    private void stopAndForget(Replica replica, String why) {
        replica.phase(Phase.STOPPING, why);
        changes.signal();
        ReplicaRecord last = replica.record != null ? replica.record : files.read(replica.key).orElse(null);
        stopVmm(replica, why);
        files.delete(replica.key);
        replicas.remove(replica.key, replica);
        if (last != null) {
            ports.release(last.ports().stream().map(ReplicaRecord.Port::host).toList());
        }
        replica.phase(Phase.STOPPED, why);
        log.info("Replica {}: stopped ({})", replica.key, why);
    }

    /** Stops one replica now ({@code Worker.stopVm}); false when it was not running. Durable when it returns. */
    public boolean stopNow(ReplicaKey key, String reason) {
        Replica replica = replicas.get(key);
        if (replica == null) {
            return false;
        }
        replica.lock.lock();
        try {
            boolean wasRunning = replica.vmm != null;
            if (wasRunning) {
                replica.console.note("stopped by the master: " + reason);
                stopVmm(replica, reason);
                files.clearRecord(key);
                replica.phase(Phase.STOPPED, "stopped by the master: " + reason);
            }
            return wasRunning;
        } finally {
            replica.lock.unlock();
            changes.signal();
        }
    }

    private void stopVmm(Replica replica, String why) {
        detach(replica);
        VmmInstance vmm = replica.vmm;
        if (vmm != null) {
            replica.console.note("stopping VMM pid " + vmm.pid() + ": " + why);
            vmm.stop(properties.stopTimeout());
        }
        if (replica.group != null) {
            replica.group.remove();
            replica.group = null;
        }
        ReplicaRecord record = replica.record;
        if (record != null && record.tap() != null && properties.network() == WorkerProperties.Network.TAP) {
            taps.delete(record.tap());
        }
        replica.vmm = null;
        replica.record = null;
    }

    /** Stops our console reader, forwarders and checks of a replica, leaving its VMM alone. */
    private static void detach(Replica replica) {
        if (replica.monitor != null) {
            replica.monitor.stop();
            replica.monitor = null;
        }
        synchronized (replica.forwarders) {
            replica.forwarders.forEach(LoopbackForwarder::close);
            replica.forwarders.clear();
        }
        if (replica.capture != null) {
            replica.capture.close();
            replica.capture = null;
        }
    }

    /** Every 2 s: a VMM that exited on its own is noticed, reported, and started again if still assigned. */
    private void watch() {
        for (Replica replica : replicas.values()) {
            VmmInstance vmm = replica.vmm;
            if (vmm == null || !replica.lock.tryLock()) {
                continue;
            }
            try {
                if (replica.vmm == vmm && !VmmProcesses.isVmmOf(vmm.pid(), replica.dir)) {
                    log.warn("Replica {}: VMM pid {} exited", replica.key, vmm.pid());
                    replica.console.note("VMM pid " + vmm.pid() + " exited");
                    detach(replica);
                    if (replica.group != null) {
                        replica.group.remove();
                    }
                    replica.vmm = null;
                    replica.record = null;
                    files.clearRecord(replica.key);
                    replica.phase(Phase.FAILED, "the VMM exited (see the console log)");
                    replica.verdict.complete(HealthMonitor.Health.UNHEALTHY);
                    if (replica.desired != null) {
                        converge(replica);
                    }
                    changes.signal();
                }
            } finally {
                replica.lock.unlock();
            }
        }
    }

    // ------------------------------------------------------------------ reading

    public List<ReplicaView> views() {
        return replicas.values().stream().map(this::view).toList();
    }

    public Optional<ReplicaView> view(ReplicaKey key) {
        return Optional.ofNullable(replicas.get(key)).map(this::view);
    }

    public Optional<ConsoleLog> console(ReplicaKey key) {
        return Optional.ofNullable(replicas.get(key)).map(r -> r.console);
    }

    /** Health outcomes since the last call, for {@code pushData}. */
    public List<HealthReport> drainHealthReports() {
        List<HealthReport> drained = new ArrayList<>();
        HealthReport next;
        while ((next = healthReports.poll()) != null) {
            drained.add(next);
        }
        return drained;
    }

    public int runningVms() {
        return (int) replicas.values().stream().filter(r -> r.vmm != null).count();
    }

    private ReplicaView view(Replica replica) {
        ReplicaRecord record = replica.record;
        DesiredReplica desired = replica.desired;
        Blueprint.Vm spec = record != null ? record.spec() : desired != null ? desired.spec() : null;
        long started = record == null ? 0 : record.startedAtMillis();
        ProcessStats stats = record == null ? new ProcessStats(0, 0) : ProcessStats.ofTree(record.pid());
        HealthMonitor monitor = replica.monitor;
        List<ReplicaView.Check> checks = monitor == null ? List.of() : monitor.lastResults().stream()
                .map(r -> new ReplicaView.Check(r.check(), r.healthy(), r.message(), r.checkedAtMillis(), r.latencyMillis()))
                .toList();
        return new ReplicaView(replica.key.vm(), replica.key.replica(), record == null ? "" : record.storePath(),
                replica.phase.label(), replica.health().name().toLowerCase(java.util.Locale.ROOT),
                record == null ? "" : address(record),
                record == null ? List.of() : record.ports().stream().map(p -> new ReplicaView.PortPair(p.guest(), p.host())).toList(),
                started == 0 ? null : Instant.ofEpochMilli(started).toString(), started,
                record != null ? record.backend() : spec != null ? spec.deployment().backend() : "",
                desired != null ? desired.source() : record != null ? record.source() : "",
                record != null ? record.generation() : desired != null ? desired.generation() : 0,
                desired == null ? "" : desired.storePath(),
                record == null ? "" : record.previousStorePath(),
                record == null || record.rolledBackFrom() == null ? "" : record.rolledBackFrom(),
                replica.message, replica.sinceMillis, spec == null ? 0 : spec.cpu(),
                spec == null ? 0 : spec.memory().megabytes(), replica.limits,
                new ReplicaView.Metrics(stats.cpuSeconds(), stats.rssMb(),
                        started == 0 ? 0 : (System.currentTimeMillis() - started) / 1000),
                checks, timings(replica));
    }

    private static ReplicaView.Timings timings(Replica replica) {
        Replica.BootTimings t = replica.timings;
        if (t.assignedAt() == 0) {
            return null;
        }
        long firstOutput = replica.console.firstOutputMillis();
        long guestBoot = t.vmmStartedAt() > 0 && firstOutput >= t.vmmStartedAt() ? firstOutput - t.vmmStartedAt() : 0;
        long firstGreen = t.healthyAt() > 0 && firstOutput > 0 ? t.healthyAt() - Math.max(firstOutput, t.vmmStartedAt()) : 0;
        return new ReplicaView.Timings(t.fetchedAt() - t.assignedAt(),
                t.vmmStartedAt() > 0 ? t.vmmStartedAt() - t.fetchedAt() : 0, guestBoot, firstGreen,
                t.healthyAt() > 0 ? t.healthyAt() - t.assignedAt() : 0);
    }

    // ------------------------------------------------------------------ helpers

    private Replica newReplica(ReplicaKey key) {
        return new Replica(key, files.dir(key), new ConsoleLog(files.dir(key),
                properties.consoleMaxSize().toBytes(), properties.consoleFiles()));
    }

    private String address(ReplicaRecord record) {
        if (properties.network() == WorkerProperties.Network.TAP) {
            String addr = record.spec().deployment().addr();
            return addr == null ? "" : addr;
        }
        return LOOPBACK;
    }

    /** The loopback port of each guest port (the VM's ports and its http/tcp checks' ports), kept from before. */
    private List<ReplicaRecord.Port> portsFor(Blueprint.Vm spec, ReplicaRecord old) {
        Set<Integer> guests = new LinkedHashSet<>(spec.ports());
        for (Blueprint.HealthCheck check : spec.deployment().healthChecks()) {
            if (check.port() != null) {
                guests.add(check.port());
            }
        }
        Map<Integer, Integer> before = new LinkedHashMap<>();
        if (old != null) {
            old.ports().forEach(p -> before.put(p.guest(), p.host()));
        }
        List<ReplicaRecord.Port> ports = new ArrayList<>();
        for (int guest : guests) {
            Integer host = before.get(guest);
            ports.add(new ReplicaRecord.Port(guest, host != null ? host : this.ports.allocate()));
        }
        return ports;
    }

    private static List<GuestNetwork.Forward> forwards(List<ReplicaRecord.Port> ports) {
        return ports.stream().map(p -> new GuestNetwork.Forward(p.guest(), p.host())).toList();
    }

    private Set<Integer> usedLinks() {
        Set<Integer> used = new HashSet<>();
        for (ReplicaKey key : files.all()) {
            files.read(key).ifPresent(r -> used.add(r.link()));
        }
        return used;
    }

    private String tapName(ReplicaKey key) {
        return "pcr" + Integer.toHexString((properties.id() + "/" + key.id()).hashCode());
    }

    private String macOf(ReplicaKey key) {
        return dev.procurator.worker.vmm.cloudhypervisor.CloudHypervisorDriver.mac(properties.id() + "/" + key.id());
    }

    private Set<String> neededClosures() {
        Set<String> needed = new HashSet<>();
        for (Replica replica : replicas.values()) {
            ReplicaRecord record = replica.record;
            DesiredReplica desired = replica.desired;
            if (record != null) {
                needed.add(record.storePath());
                needed.add(record.previousStorePath());
            }
            if (desired != null) {
                needed.add(desired.storePath());
                needed.add(desired.previousStorePath());
            }
        }
        return needed;
    }
}
