package dev.procurator.cache.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The Binary cache dashboard at {@code /}. */
@Controller
class DashboardController {

    @GetMapping("/")
    String dashboard() {
        return "dashboard";
    }
}
