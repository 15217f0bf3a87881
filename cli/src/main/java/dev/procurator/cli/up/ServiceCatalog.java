package dev.procurator.cli.up;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The seven services of the platform, their ports (DESIGN.md: forge 7410 ... observability 7470, the control plane's
 * Cap'n Proto port 7441) and their start dependencies: the CI service and the worker agent talk to the others from
 * their first seconds, so they start once those are healthy.
 */
public final class ServiceCatalog {

    public static final int DEFAULT_BASE_PORT = 7410;
    /** The control plane's Cap'n Proto port, relative to the base port. */
    public static final int RPC_PORT_OFFSET = 31;
    public static final String CONTROL_PLANE = "control-plane";

    private static final List<String> FOUNDATION =
            List.of("forge", "cache-service", CONTROL_PLANE, "secret-manager", "observability");

    private static final SequencedMap<String, ServiceSpec> SERVICES = new LinkedHashMap<>();

    static {
        add(new ServiceSpec("forge", "Forge", 0, "PROCURATOR_FORGE_URL", List.of(), true));
        add(new ServiceSpec("ci-service", "CI", 10, "PROCURATOR_CI_URL", FOUNDATION));
        add(new ServiceSpec("cache-service", "Binary cache", 20, "PROCURATOR_CACHE_URL", List.of(), true));
        add(new ServiceSpec(CONTROL_PLANE, "Control plane", 30, "PROCURATOR_CONTROL_PLANE_URL", List.of()));
        add(new ServiceSpec("worker-agent", "Worker agent", 40, "PROCURATOR_WORKER_AGENT_URL",
                List.of("cache-service", CONTROL_PLANE, "secret-manager", "observability")));
        add(new ServiceSpec("secret-manager", "Secrets", 50, "PROCURATOR_SECRETS_URL", List.of()));
        add(new ServiceSpec("observability", "Observability", 60, "PROCURATOR_OBSERVABILITY_URL", List.of()));
    }

    private ServiceCatalog() {
    }

    private static void add(ServiceSpec spec) {
        SERVICES.put(spec.module(), spec);
    }

    public static Collection<ServiceSpec> all() {
        return SERVICES.sequencedValues();
    }

    /**
     * The services named in {@code names} (all when empty), in catalog order.
     *
     * @throws IllegalArgumentException naming the unknown service and the known ones
     */
    public static List<ServiceSpec> select(Collection<String> names) {
        if (names == null || names.isEmpty()) {
            return List.copyOf(all());
        }
        for (String name : names) {
            if (!SERVICES.containsKey(name)) {
                throw new IllegalArgumentException(
                        "unknown service '" + name + "'; the services are " + String.join(", ", SERVICES.keySet()));
            }
        }
        List<ServiceSpec> selected = new ArrayList<>();
        for (ServiceSpec spec : all()) {
            if (names.contains(spec.module())) {
                selected.add(spec);
            }
        }
        return selected;
    }

    /** Ports every service of the platform would use at {@code basePort}, including the RPC port. */
    public static Map<String, Integer> ports(Collection<ServiceSpec> services, int basePort) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ServiceSpec spec : services) {
            ports.put(spec.module(), spec.port(basePort));
            if (spec.module().equals(CONTROL_PLANE)) {
                ports.put(CONTROL_PLANE + " (Cap'n Proto)", basePort + RPC_PORT_OFFSET);
            }
        }
        return ports;
    }
}
