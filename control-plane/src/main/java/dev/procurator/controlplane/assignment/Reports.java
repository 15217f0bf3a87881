package dev.procurator.controlplane.assignment;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.procurator.controlplane.event.EventLog;
import dev.procurator.controlplane.rollout.Rollouts;
import dev.procurator.controlplane.worker.WorkerRegistry;

/**
 * A worker's pushData: its observed replicas replace what it reported before, each desired replica's health on its
 * closure is brought up to date (the rollouts' gate), and the rollouts of the VMs concerned advance at once.
 */
@Component
public class Reports {

    private final ObservedStore observed;
    private final ReplicaStore replicas;
    private final WorkerRegistry workers;
    private final Rollouts rollouts;
    private final EventLog events;

    Reports(ObservedStore observed, ReplicaStore replicas, WorkerRegistry workers, Rollouts rollouts, EventLog events) {
        this.observed = observed;
        this.replicas = replicas;
        this.workers = workers;
        this.rollouts = rollouts;
        this.events = events;
    }

    /** Inside the single writer. */
    public void report(String workerId, List<ObservedStore.ObservedVm> vms, String metrics, long now) {
        if (!workers.isKnown(workerId)) {
            throw new WorkerRegistry.UnknownWorkerException(workerId);
        }
        workers.heartbeat(workerId, metrics, now);
        observed.replace(workerId, vms);
        Map<String, ObservedStore.ObservedVm> byKey = new HashMap<>();
        vms.forEach(vm -> byKey.put(vm.vm() + "/" + vm.replica(), vm));
        Set<String> touched = new LinkedHashSet<>();
        for (Replica replica : replicas.ofWorker(workerId)) {
            ObservedStore.ObservedVm seen = byKey.get(replica.vm() + "/" + replica.replica());
            boolean healthy = seen != null && seen.storePath().equals(replica.storePath())
                    && seen.health() == dev.procurator.schema.Common.Health.HEALTHY;
            if (healthy && replica.healthySince() == null) {
                replicas.healthySince(replica, now);
                events.record(EventLog.REPLICA_HEALTHY, replica.source(), replica.vm(), workerId,
                        replica.generation(), null, "replica " + replica.replica() + " healthy");
                touched.add(replica.vm());
            } else if (!healthy && replica.healthySince() != null) {
                replicas.healthySince(replica, null);
                events.record(EventLog.REPLICA_UNHEALTHY, replica.source(), replica.vm(), workerId,
                        replica.generation(), null, "replica " + replica.replica() + " no longer healthy"
                                + (seen == null ? " (not reported)" : ": " + seen.health().name().toLowerCase()
                                + (seen.message().isBlank() ? "" : ", " + seen.message())));
                touched.add(replica.vm());
            } else if (seen != null && seen.storePath().equals(replica.storePath())
                    && (seen.phase() == dev.procurator.schema.Common.VmPhase.FAILED
                    || seen.health() == dev.procurator.schema.Common.Health.UNHEALTHY)
                    || seen != null && replica.storePath().equals(seen.rolledBackFrom())) {
                touched.add(replica.vm());
            }
        }
        rollouts.advance(touched, now);
    }
}
