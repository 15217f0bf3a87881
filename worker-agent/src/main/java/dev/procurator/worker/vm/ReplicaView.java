package dev.procurator.worker.vm;

import java.util.List;

/**
 * A replica as the API, the dashboard and the master see it (camelCase JSON: {@code GET /api/v1/vms}).
 *
 * @param closure     the closure the VMM runs (empty while none runs)
 * @param state       the phase: pending, fetching, starting, running, stopping, stopped, failed
 * @param health      healthy, unhealthy or unknown
 * @param address     where its ports are reachable from the host (127.0.0.1 with user networking)
 * @param ports       guest port and the host port it is forwarded to
 * @param startedAt   when its VMM started (ISO-8601), null while none runs
 * @param backend     the VMM actually used
 * @param limits      the cgroup its VMM runs in, or why limits are unsupported
 * @param checks      each health check's last outcome
 * @param timings     the last boot's steps in milliseconds (fetch, vmmStart, guestBoot, firstGreen)
 */
public record ReplicaView(String name, int replica, String closure, String state, String health, String address,
                          List<PortPair> ports, String startedAt, long startedAtMillis, String backend, String source,
                          long generation, String desiredClosure, String previousClosure, String rolledBackFrom,
                          String message, long sinceMillis, double cpu, long memoryMb, String limits,
                          Metrics metrics, List<Check> checks, Timings timings) {

    public record PortPair(int guest, int host) {
    }

    public record Metrics(double cpuSeconds, long memoryRssMb, long uptimeSeconds) {
    }

    public record Check(String name, boolean healthy, String message, long checkedAtMillis, long latencyMillis) {
    }

    public record Timings(long fetch, long vmmStart, long guestBoot, long firstGreen, long total) {
    }
}
