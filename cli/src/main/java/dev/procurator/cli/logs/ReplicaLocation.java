package dev.procurator.cli.logs;

import java.util.ArrayList;
import java.util.List;

import dev.procurator.cli.api.CliException;
import tools.jackson.databind.JsonNode;

/**
 * Where a VM replica runs, read from the control plane's cluster status: {@code vms[]} says which worker runs it,
 * {@code workers[]} that worker's {@code apiUrl}.
 *
 * @param note a remark for the user (which replica was picked), or null
 */
record ReplicaLocation(String agentUrl, String vm, int replica, String note) {

    ReplicaLocation(String agentUrl, String vm, int replica) {
        this(agentUrl, vm, replica, null);
    }

    static ReplicaLocation find(JsonNode cluster, String vm, Integer replica) {
        List<JsonNode> matches = new ArrayList<>();
        for (JsonNode entry : cluster.path("vms")) {
            if (vm.equals(entry.path("name").asString()) && (replica == null || entry.path("replica").asInt() == replica)) {
                matches.add(entry);
            }
        }
        if (matches.isEmpty()) {
            throw new CliException(replica == null ? "No VM named '" + vm + "' runs in the cluster"
                    : "VM '" + vm + "' has no replica " + replica + " in the cluster");
        }
        matches.sort((a, b) -> Integer.compare(a.path("replica").asInt(), b.path("replica").asInt()));
        JsonNode chosen = matches.get(0);
        int id = chosen.path("replica").asInt();
        String worker = chosen.path("worker").asString("");
        if (worker.isEmpty()) {
            throw new CliException("Replica " + id + " of '" + vm + "' is not placed on any worker yet");
        }
        String apiUrl = "";
        for (JsonNode w : cluster.path("workers")) {
            String wid = w.hasNonNull("id") ? w.path("id").asString() : w.path("workerId").asString("");
            if (worker.equals(wid)) {
                apiUrl = w.path("apiUrl").asString("");
            }
        }
        if (apiUrl.isBlank()) {
            throw new CliException("Worker '" + worker + "' running " + vm + "." + id
                    + " did not announce an API URL; use --agent <url>");
        }
        String note = replica == null && matches.size() > 1
                ? vm + " has " + matches.size() + " replicas; showing replica " + id + " (on " + worker + ")" : null;
        return new ReplicaLocation(apiUrl.replaceAll("/+$", ""), vm, id, note);
    }
}
