package dev.procurator.worker.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The Worker agent dashboard at {@code /}. */
@Controller
class DashboardController {

    @GetMapping("/")
    String dashboard() {
        return "dashboard";
    }
}
