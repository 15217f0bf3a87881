package dev.procurator.cli.up;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

import dev.procurator.common.config.ServicePorts;

/**
 * The seven services of the platform as {@code up} runs them: their ports keep the distances of the default ports
 * ({@link ServicePorts}) from the base port, and their start dependencies say that the CI service and the worker agent
 * talk to the others from their first seconds, so they start once those are healthy.
 */
public final class ServiceCatalog {

    public static final int DEFAULT_BASE_PORT = ServicePorts.FORGE.port();
    /** The control plane's Cap'n Proto port, relative to the base port. */
    public static final int RPC_PORT_OFFSET = ServicePorts.CONTROL_PLANE_RPC - DEFAULT_BASE_PORT;
    public static final String CONTROL_PLANE = ServicePorts.CONTROL_PLANE.module();

    private static final List<ServicePorts> FOUNDATION = List.of(ServicePorts.FORGE, ServicePorts.CACHE,
            ServicePorts.CONTROL_PLANE, ServicePorts.SECRETS, ServicePorts.OBSERVABILITY);

    private static final SequencedMap<String, ServiceSpec> SERVICES = new LinkedHashMap<>();

    static {
        add(ServicePorts.FORGE, List.of(), true);
        add(ServicePorts.CI, FOUNDATION, false);
        add(ServicePorts.CACHE, List.of(), true);
        add(ServicePorts.CONTROL_PLANE, List.of(), false);
        add(ServicePorts.WORKER_AGENT, List.of(ServicePorts.CACHE, ServicePorts.CONTROL_PLANE, ServicePorts.SECRETS,
                ServicePorts.OBSERVABILITY), false);
        add(ServicePorts.SECRETS, List.of(), false);
        add(ServicePorts.OBSERVABILITY, List.of(), false);
    }

    private ServiceCatalog() {
    }

    private static void add(ServicePorts service, List<ServicePorts> dependsOn, boolean bulkData) {
        SERVICES.put(service.module(), new ServiceSpec(service.module(), service.port() - DEFAULT_BASE_PORT,
                service.urlVariable(), dependsOn.stream().map(ServicePorts::module).toList(), bulkData));
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

    /** The highest port the whole platform uses at {@code basePort}. */
    public static int highestPort(int basePort) {
        return ports(all(), basePort).values().stream().mapToInt(Integer::intValue).max().orElse(basePort);
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
