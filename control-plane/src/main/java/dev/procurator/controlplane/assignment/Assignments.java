package dev.procurator.controlplane.assignment;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import dev.procurator.controlplane.config.ControlPlaneProperties;
import dev.procurator.controlplane.leader.Leadership;
import dev.procurator.controlplane.worker.WorkerRegistry;
import dev.procurator.schema.Common;
import dev.procurator.schema.WorkerRpc.Worker;
import dev.procurator.schema.blueprint.BlueprintCapnp;

/**
 * Workers' assignments: the long poll ({@link #awaitChange}) parks until the worker's revision differs from the one it
 * knows, or the timeout; each committed change also calls {@code notify} on the worker's capability, so the poll is
 * the fallback. Nothing here blocks a thread while waiting.
 */
@Component
public class Assignments implements Leadership.LeaderListener {

    private static final Logger log = LoggerFactory.getLogger(Assignments.class);

    private final Revisions revisions;
    private final ReplicaStore replicas;
    private final WorkerRegistry workers;
    private final CacheKey cache;
    private final TaskScheduler scheduler;
    private final ControlPlaneProperties properties;
    private final Map<String, List<CompletableFuture<Void>>> parked = new ConcurrentHashMap<>();

    Assignments(Revisions revisions, ReplicaStore replicas, WorkerRegistry workers, CacheKey cache,
                TaskScheduler scheduler, ControlPlaneProperties properties, Leadership leadership) {
        this.revisions = revisions;
        this.replicas = replicas;
        this.workers = workers;
        this.cache = cache;
        this.scheduler = scheduler;
        this.properties = properties;
        revisions.onChange(this::changed);
        leadership.listen(this);
    }

    /** Completes when the worker's revision differs from {@code knownRevision}, or after the timeout. */
    public CompletableFuture<Void> awaitChange(String workerId, long knownRevision, long timeoutMillis) {
        if (revisions.of(workerId) != knownRevision) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> wait = new CompletableFuture<>();
        List<CompletableFuture<Void>> waiting = parked.computeIfAbsent(workerId, id -> new CopyOnWriteArrayList<>());
        waiting.add(wait);
        wait.whenComplete((v, e) -> waiting.remove(wait));
        if (revisions.of(workerId) != knownRevision) {     // changed while we parked
            wait.complete(null);
            return wait;
        }
        long timeout = timeoutMillis == 0 ? properties.pollTimeout().toMillis() : timeoutMillis;
        var timer = scheduler.schedule(() -> wait.complete(null), Instant.now().plusMillis(timeout));
        wait.whenComplete((v, e) -> timer.cancel(false));
        return wait;
    }

    private void changed(String workerId, long revision) {
        List<CompletableFuture<Void>> waiting = parked.get(workerId);
        if (waiting != null) {
            waiting.forEach(wait -> wait.complete(null));
        }
        Worker.Client capability = workers.capability(workerId);
        if (capability != null) {
            capability.notify(p -> p.setRevision(revision)).whenComplete((r, e) -> {
                if (e != null) {
                    log.debug("notify of {} failed: {}", workerId, e.getMessage());
                }
            });
        }
    }

    /** Writes the worker's current assignment. */
    public void write(String workerId, Common.Assignment.Builder out) {
        long revision = revisions.of(workerId);
        List<Replica> assigned = replicas.ofWorker(workerId);
        out.setWorkerId(workerId);
        out.setRevision(revision);
        out.setCacheUrl(cache.url());
        out.setCachePublicKey(cache.publicKey());
        var vms = out.initVms(assigned.size());
        for (int i = 0; i < assigned.size(); i++) {
            Replica replica = assigned.get(i);
            Common.AssignedVm.Builder vm = vms.get(i);
            vm.setVm(replica.vm());
            vm.setReplica(replica.replica());
            BlueprintCapnp.write(replica.vm(), replica.spec(), vm.initSpec());
            vm.setStorePath(replica.storePath());
            vm.setSource(replica.source());
            vm.setGeneration(replica.generation());
            vm.setPreviousStorePath(replica.previousStorePath());
        }
    }

    public long revision(String workerId) {
        return revisions.of(workerId);
    }

    @Override
    public void leading() {
        revisions.forget();
    }

    @Override
    public void following() {
        revisions.forget();
        parked.values().forEach(list -> list.forEach(wait -> wait.complete(null)));
    }
}
