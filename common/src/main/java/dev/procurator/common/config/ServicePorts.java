package dev.procurator.common.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * The platform's services with their default ports, defined once for the services ({@link ProcuratorProperties},
 * {@code server.port}), the CLI ({@code procurator login}'s defaults, {@code procurator up}'s port layout) and the tests.
 * Plain Java: the CLI uses it without Spring on its class path.
 */
public enum ServicePorts {

    FORGE("forge", 7410, "PROCURATOR_FORGE_URL"),
    CI("ci-service", 7420, "PROCURATOR_CI_URL"),
    CACHE("cache-service", 7430, "PROCURATOR_CACHE_URL"),
    CONTROL_PLANE("control-plane", 7440, "PROCURATOR_CONTROL_PLANE_URL"),
    WORKER_AGENT("worker-agent", 7450, "PROCURATOR_WORKER_AGENT_URL"),
    SECRETS("secret-manager", 7460, "PROCURATOR_SECRETS_URL"),
    OBSERVABILITY("observability", 7470, "PROCURATOR_OBSERVABILITY_URL");

    /** The control plane's Cap'n Proto port ({@code Master}), beside its HTTP port. */
    public static final int CONTROL_PLANE_RPC = 7441;
    /** Where peers find the control plane's Cap'n Proto endpoint, {@code host:port}. */
    public static final String CONTROL_PLANE_RPC_VARIABLE = "PROCURATOR_CONTROL_PLANE_RPC";
    /** The port the control plane listens on for Cap'n Proto. */
    public static final String RPC_PORT_VARIABLE = "PROCURATOR_RPC_PORT";

    private final String module;
    private final int port;
    private final String urlVariable;

    ServicePorts(String module, int port, String urlVariable) {
        this.module = module;
        this.port = port;
        this.urlVariable = urlVariable;
    }

    /** The Maven module, also {@code spring.application.name}, the jar's name and the data subdirectory. */
    public String module() {
        return module;
    }

    /** The default HTTP port. */
    public int port() {
        return port;
    }

    /** The environment variable through which peers and the CLI find this service, e.g. {@code PROCURATOR_CI_URL}. */
    public String urlVariable() {
        return urlVariable;
    }

    /** The base URL on this machine at the default port, e.g. {@code http://localhost:7420}. */
    public String localUrl() {
        return "http://localhost:" + port;
    }

    /** The control plane's Cap'n Proto endpoint on this machine, {@code localhost:7441}. */
    public static String localControlPlaneRpc() {
        return "localhost:" + CONTROL_PLANE_RPC;
    }

    public static Optional<ServicePorts> ofModule(String module) {
        return Arrays.stream(values()).filter(service -> service.module.equals(module)).findFirst();
    }
}
