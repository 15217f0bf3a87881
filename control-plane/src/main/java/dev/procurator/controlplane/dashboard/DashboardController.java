package dev.procurator.controlplane.dashboard;

import java.time.Instant;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.procurator.controlplane.cluster.ClusterView;
import dev.procurator.controlplane.event.EventLog;

/**
 * The control plane's dashboard at {@code /}: workers with their capacity, sources and generations, every replica
 * desired against observed, the current rollouts and the events timeline; {@code /fragments/cluster} is the live part
 * alone, which the page reloads on each change ({@link LiveUpdates}) and every few seconds besides. Admins act on
 * rollouts from the page through the HTTP API with the admin token, which the page keeps for the browser tab only.
 */
@Controller
class DashboardController {

    /** How often the page reloads when no change was signalled (a lost stream, a proxy buffering it). */
    static final int FALLBACK_REFRESH_SECONDS = 5;
    private static final int SHOWN_EVENTS = 50;

    private final ClusterView cluster;
    private final EventLog events;

    DashboardController(ClusterView cluster, EventLog events) {
        this.cluster = cluster;
        this.events = events;
    }

    @GetMapping("/")
    String dashboard(Model model) {
        addCluster(model);
        model.addAttribute("fallbackRefreshSeconds", FALLBACK_REFRESH_SECONDS);
        return "controlplane/cluster";
    }

    @GetMapping("/fragments/cluster")
    String live(Model model) {
        addCluster(model);
        return "controlplane/cluster :: live";
    }

    private void addCluster(Model model) {
        long latest = events.latestId();
        model.addAttribute("cluster", ClusterPage.of(cluster.json(),
                events.since(Math.max(0, latest - SHOWN_EVENTS), SHOWN_EVENTS), Instant.now()));
        model.addAttribute("latestEvent", latest);
    }
}
