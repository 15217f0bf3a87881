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
 * @param forgeUrl           peer base URLs, defaulting to the standard ports on localhost
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
        forgeUrl = baseUrl(forgeUrl, 7410);
        ciUrl = baseUrl(ciUrl, 7420);
        cacheUrl = baseUrl(cacheUrl, 7430);
        controlPlaneUrl = baseUrl(controlPlaneUrl, 7440);
        controlPlaneRpc = controlPlaneRpc == null || controlPlaneRpc.isBlank() ? "localhost:7441" : controlPlaneRpc;
        workerAgentUrl = baseUrl(workerAgentUrl, 7450);
        secretsUrl = baseUrl(secretsUrl, 7460);
        observabilityUrl = baseUrl(observabilityUrl, 7470);
    }

    /** Peer dashboards in the order of the GitOps path, keyed by module name. */
    public Map<String, String> peers() {
        Map<String, String> peers = new LinkedHashMap<>();
        peers.put("forge", forgeUrl);
        peers.put("ci-service", ciUrl);
        peers.put("cache-service", cacheUrl);
        peers.put("control-plane", controlPlaneUrl);
        peers.put("worker-agent", workerAgentUrl);
        peers.put("secret-manager", secretsUrl);
        peers.put("observability", observabilityUrl);
        return peers;
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

    private static String baseUrl(String url, int defaultPort) {
        return url == null || url.isBlank() ? "http://localhost:" + defaultPort : url.replaceAll("/+$", "");
    }
}
