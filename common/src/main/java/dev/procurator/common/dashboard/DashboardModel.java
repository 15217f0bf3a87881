package dev.procurator.common.dashboard;

import java.util.List;
import java.util.function.Supplier;

import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.thymeleaf.context.LazyContextVariable;

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

    // Lazy: the advice applies to every controller, @RestController included (it is a @Controller), and an API
    // call must not pay for a health check and a round of peer probes that only a rendered page shows.
    @ModelAttribute("health")
    public LazyContextVariable<HealthSummary> health() {
        return lazy(() -> HealthSummary.of(health));
    }

    @ModelAttribute("peers")
    public LazyContextVariable<List<PeerStatus>> peers() {
        return lazy(peers::statuses);
    }

    private static <T> LazyContextVariable<T> lazy(Supplier<T> value) {
        return new LazyContextVariable<>() {
            @Override
            protected T loadValue() {
                return value.get();
            }
        };
    }

    @ModelAttribute("instance")
    public InstanceRegistry.Instance instance() {
        return instances.self();
    }
}
