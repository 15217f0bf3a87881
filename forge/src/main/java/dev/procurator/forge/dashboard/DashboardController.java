package dev.procurator.forge.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The Forge dashboard at {@code /}. */
@Controller
class DashboardController {

    @GetMapping("/")
    String dashboard() {
        return "dashboard";
    }
}
