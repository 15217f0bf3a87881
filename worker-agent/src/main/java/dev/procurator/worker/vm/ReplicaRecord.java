package dev.procurator.worker.vm;

import java.util.List;

import dev.procurator.schema.blueprint.Blueprint;

/**
 * What the agent keeps on disk about a replica it runs ({@code <data dir>/vms/<vm>.<replica>/replica.json}): enough
 * to find and adopt the VMM after the agent itself was killed, and to keep reporting the same truth. Written
 * atomically (temp file, fsync, rename, directory fsync) before the state it describes is reported.
 *
 * @param storePath       the closure the VMM runs
 * @param previousStorePath the closure to roll back to
 * @param rolledBackFrom  a closure that failed its checks here and was rolled back from (not retried)
 * @param backend         the VMM actually used ({@code qemu}, {@code cloud-hypervisor})
 * @param pid             the VMM's pid
 * @param startedAtMillis when the VMM started
 * @param ports           guest port to loopback port; kept across replacements, so clients keep their address
 * @param tap             the replica's tap device (cloud-hypervisor's host-only link, or tap networking), or null
 * @param link            the host-only link number (cloud-hypervisor with user networking), or -1
 */
public record ReplicaRecord(String vm, int replica, Blueprint.Vm spec, String storePath, String previousStorePath,
                            String rolledBackFrom, String source, long generation, String backend, long pid,
                            long startedAtMillis, List<Port> ports, String tap, int link) {

    public record Port(int guest, int host) {
    }

    public ReplicaRecord {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    public ReplicaKey key() {
        return new ReplicaKey(vm, replica);
    }
}
