package dev.procurator.common.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings every service shares, bound from {@code procurator.*}; each has an environment variable of the same name
 * ({@code PROCURATOR_DATA_DIR}, {@code PROCURATOR_FORGE_URL}, ...) and a working local default.
 *
 * @param dataDir            where the service keeps its files
 * @param adminToken         the bootstrap admin credential; generated into the data dir when unset
 * @param service            this service's identity, shown on its dashboard
 * @param forgeUrl           peer base URLs, defaulting to {@link ServicePorts}' ports on localhost
 * @param controlPlaneRpc    the control plane's Cap'n Proto endpoint, {@code host:port}
 */
@ConfigurationProperties("procurator")
public record ProcuratorProperties(
        Path dataDir,
        String adminToken,
        Service service,
        String forgeUrl,
        String ciUrl,
        String cacheUrl,
        String controlPlaneUrl,
        String controlPlaneRpc,
        String workerAgentUrl,
        String secretsUrl,
        String observabilityUrl) {

    public ProcuratorProperties {
        dataDir = dataDir == null ? Path.of(".procurator").toAbsolutePath() : dataDir;
        service = service == null ? new Service("procurator", null, null) : service;
        forgeUrl = baseUrl(forgeUrl, ServicePorts.FORGE);
        ciUrl = baseUrl(ciUrl, ServicePorts.CI);
        cacheUrl = baseUrl(cacheUrl, ServicePorts.CACHE);
        controlPlaneUrl = baseUrl(controlPlaneUrl, ServicePorts.CONTROL_PLANE);
        controlPlaneRpc = controlPlaneRpc == null || controlPlaneRpc.isBlank()
                ? ServicePorts.localControlPlaneRpc() : controlPlaneRpc;
        workerAgentUrl = baseUrl(workerAgentUrl, ServicePorts.WORKER_AGENT);
        secretsUrl = baseUrl(secretsUrl, ServicePorts.SECRETS);
        observabilityUrl = baseUrl(observabilityUrl, ServicePorts.OBSERVABILITY);
    }

    /** Peer dashboards in the order of the GitOps path, keyed by module name. */
    public Map<String, String> peers() {
        Map<String, String> peers = new LinkedHashMap<>();
        for (ServicePorts peer : ServicePorts.values()) {
            peers.put(peer.module(), url(peer));
        }
        return peers;
    }

    /** The configured base URL of a peer. */
    public String url(ServicePorts peer) {
        return switch (peer) {
            case FORGE -> forgeUrl;
            case CI -> ciUrl;
            case CACHE -> cacheUrl;
            case CONTROL_PLANE -> controlPlaneUrl;
            case WORKER_AGENT -> workerAgentUrl;
            case SECRETS -> secretsUrl;
            case OBSERVABILITY -> observabilityUrl;
        };
    }

    /**
     * What the dashboard shows about this service.
     *
     * @param name        the module name, from {@code spring.application.name}
     * @param title       a human title, e.g. "Forge"
     * @param description one line on what the service does
     */
    public record Service(String name, String title, String description) {
        public Service {
            title = title == null || title.isBlank() ? name : title;
            description = description == null ? "" : description;
        }
    }

    private static String baseUrl(String url, ServicePorts service) {
        return url == null || url.isBlank() ? service.localUrl() : url.replaceAll("/+$", "");
    }
}
