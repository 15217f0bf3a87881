package dev.procurator.worker.master;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.procurator.schema.Common;
import dev.procurator.schema.blueprint.BlueprintCapnp;
import dev.procurator.worker.closure.BinaryCache;
import dev.procurator.worker.closure.CacheResolver;
import dev.procurator.worker.vm.DesiredReplica;
import dev.procurator.worker.vm.ReplicaKey;

/** Reads an {@code Assignment} into the replicas the supervisor converges on. */
final class AssignmentReader {

    private static final Logger log = LoggerFactory.getLogger(AssignmentReader.class);

    private AssignmentReader() {
    }

    static List<DesiredReplica> read(Common.Assignment.Reader assignment, CacheResolver caches) {
        String cacheUrl = assignment.getCacheUrl().toString();
        String cacheKey = assignment.getCachePublicKey().toString();
        Supplier<BinaryCache> cache = () -> caches.resolve(cacheUrl, cacheKey);
        List<DesiredReplica> replicas = new ArrayList<>();
        for (Common.AssignedVm.Reader vm : assignment.getVms()) {
            try {
                replicas.add(new DesiredReplica(new ReplicaKey(vm.getVm().toString(), vm.getReplica()),
                        BlueprintCapnp.read(vm.getSpec()), vm.getStorePath().toString(),
                        vm.getPreviousStorePath().toString(), vm.getSource().toString(), vm.getGeneration(), cache));
            } catch (RuntimeException e) {
                log.error("Ignoring assigned replica {}.{} of revision {}: {}", vm.getVm(), vm.getReplica(),
                        assignment.getRevision(), e.getMessage());
            }
        }
        return replicas;
    }
}
