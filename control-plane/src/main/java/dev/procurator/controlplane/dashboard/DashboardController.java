package dev.procurator.controlplane.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The control plane's dashboard at {@code /}: workers with their capacity, sources and generations, every replica
 * desired against observed, the current rollouts and the events timeline. The page draws all of it from the public
 * JSON API ({@code /api/v1/cluster}, {@code /api/v1/events}) in the browser, redrawn on each event of the live stream
 * and every few seconds besides, so the page, the CLI and scripts read the same truth. Admins act on rollouts with
 * the admin token, which the page keeps for the browser tab only.
 */
@Controller
class DashboardController {

    /** How often the page reloads the cluster when no event came (a lost stream, a proxy buffering it). */
    static final int FALLBACK_REFRESH_SECONDS = 5;

    @GetMapping("/")
    String dashboard(Model model) {
        model.addAttribute("fallbackRefreshSeconds", FALLBACK_REFRESH_SECONDS);
        return "controlplane/cluster";
    }
}
