package dev.procurator.autonix.flake;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.procurator.autonix.service.Service;

/**
 * Turns a detected service into a VM proposal: a JVM or a database gets 1 GB, anything else 512 MB (the smallest
 * size that boots a NixOS guest comfortably); health checks come from the ports the service listens on.
 */
final class VmPlanner {

    private static final Set<String> DATABASE_IMAGES = Set.of("postgres", "mysql", "mariadb", "mongo",
            "elasticsearch", "opensearch", "clickhouse", "cassandra");

    VmPlan plan(Service service) {
        boolean large = "jvm".equals(service.runtime()) || isDatabase(service.runtime());
        return new VmPlan(service.name(), describe(service), "service", large ? 2 : 1, large ? 1024 : 512, "MB",
                service.runtime() == null ? List.of() : List.of(label(service.runtime())), healthChecks(service));
    }

    private static List<VmPlan.HealthCheck> healthChecks(Service service) {
        List<VmPlan.HealthCheck> checks = new ArrayList<>();
        Service.HttpEndpoint http = service.httpHealth();
        if (http != null) {
            checks.add(new VmPlan.HealthCheck("http", http.port(), http.path()));
        }
        for (int port : service.ports()) {
            if (http == null || http.port() != port) {
                checks.add(new VmPlan.HealthCheck("tcp", port, null));
            }
        }
        return checks;
    }

    private static String describe(Service service) {
        StringBuilder comment = new StringBuilder("from ").append(String.join(", ", service.sources()));
        if (service.command() != null) {
            comment.append("; runs: ").append(service.command());
        }
        if (service.ports().isEmpty()) {
            comment.append("; no port detected: add a health check");
        }
        return comment.toString();
    }

    private static boolean isDatabase(String runtime) {
        return runtime != null && runtime.startsWith("image:")
                && DATABASE_IMAGES.stream().anyMatch(image -> runtime.substring("image:".length()).startsWith(image));
    }

    /** "image:postgres:16" → "postgres": labels are for scheduling constraints, not versions. */
    private static String label(String runtime) {
        String label = runtime.startsWith("image:") ? runtime.substring("image:".length()) : runtime;
        label = label.substring(label.lastIndexOf('/') + 1);
        int tag = label.indexOf(':');
        return tag < 0 ? label : label.substring(0, tag);
    }
}
