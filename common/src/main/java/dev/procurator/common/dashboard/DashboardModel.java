package dev.procurator.common.dashboard;

import java.util.List;

import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import dev.procurator.common.config.ProcuratorProperties;
import dev.procurator.common.instance.InstanceRegistry;

/**
 * Adds what the shared layout ({@code templates/procurator/layout.html}) needs to every dashboard page: this
 * service's identity and health, and the peer services with their status.
 */
@ControllerAdvice(annotations = Controller.class)
public class DashboardModel {

    private final ProcuratorProperties properties;
    private final HealthEndpoint health;
    private final PeerHealth peers;
    private final InstanceRegistry instances;
    private final String version;

    public DashboardModel(ProcuratorProperties properties, HealthEndpoint health, PeerHealth peers,
                          InstanceRegistry instances) {
        this.properties = properties;
        this.health = health;
        this.peers = peers;
        this.instances = instances;
        String implementation = DashboardModel.class.getPackage().getImplementationVersion();
        this.version = implementation == null ? "dev" : implementation;
    }

    @ModelAttribute("service")
    public ProcuratorProperties.Service service() {
        return properties.service();
    }

    @ModelAttribute("version")
    public String version() {
        return version;
    }

    @ModelAttribute("health")
    public HealthSummary health() {
        return HealthSummary.of(health);
    }

    @ModelAttribute("peers")
    public List<PeerStatus> peers() {
        return peers.statuses();
    }

    @ModelAttribute("instance")
    public InstanceRegistry.Instance instance() {
        return instances.self();
    }
}
