package dev.procurator.ci.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The CI dashboard at {@code /}: the shared overview until its features bring their own pages. */
@Controller
class DashboardController {

    @GetMapping("/")
    String dashboard() {
        return "procurator/overview";
    }
}
