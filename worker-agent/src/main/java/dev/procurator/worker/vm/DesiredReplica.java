package dev.procurator.worker.vm;

import dev.procurator.schema.blueprint.Blueprint;
import dev.procurator.worker.closure.BinaryCache;

/**
 * One replica as the assignment asks for it ({@code AssignedVm}).
 *
 * @param previousStorePath the closure to restore when this one fails its checks (empty: none)
 * @param cache             where its closures are substituted from
 */
public record DesiredReplica(ReplicaKey key, Blueprint.Vm spec, String storePath, String previousStorePath,
                             String source, long generation, java.util.function.Supplier<BinaryCache> cache) {
}
