package dev.procurator.secrets.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The Secrets dashboard at {@code /}. */
@Controller
class DashboardController {

    @GetMapping("/")
    String dashboard() {
        return "dashboard";
    }
}
