package dev.procurator.cli.up;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.procurator.common.config.ServicePorts;

/**
 * The environment of one service (docs/ARCHITECTURE.md, "Configuration"): its port and data directory, the shared
 * admin token, and where its peers are. A peer that {@code up} does not run keeps the address the user's environment
 * gives it, if any.
 */
public final class ServiceEnvironment {

    private ServiceEnvironment() {
    }

    public static Map<String, String> of(ServiceSpec spec, Collection<ServiceSpec> started, int basePort,
                                         Path dataDir, String adminToken, Map<String, String> inherited) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", Integer.toString(spec.port(basePort)));
        env.put("PROCURATOR_DATA_DIR", dataDir.resolve(spec.module()).toString());
        env.put("PROCURATOR_ADMIN_TOKEN", adminToken);
        for (ServiceSpec peer : ServiceCatalog.all()) {
            if (started.contains(peer) || !inherited.containsKey(peer.urlEnv())) {
                env.put(peer.urlEnv(), "http://localhost:" + peer.port(basePort));
            }
        }
        int rpcPort = basePort + ServiceCatalog.RPC_PORT_OFFSET;
        boolean controlPlaneStarted = started.stream().anyMatch(s -> s.module().equals(ServiceCatalog.CONTROL_PLANE));
        if (controlPlaneStarted || !inherited.containsKey(ServicePorts.CONTROL_PLANE_RPC_VARIABLE)) {
            env.put(ServicePorts.CONTROL_PLANE_RPC_VARIABLE, "localhost:" + rpcPort);
        }
        if (spec.module().equals(ServiceCatalog.CONTROL_PLANE)) {
            env.put(ServicePorts.RPC_PORT_VARIABLE, Integer.toString(rpcPort));
        }
        return env;
    }
}
