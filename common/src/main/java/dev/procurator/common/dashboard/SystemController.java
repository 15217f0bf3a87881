package dev.procurator.common.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.procurator.common.instance.InstanceRegistry;

/** The system page every service has: health per component, recent runs of this service, peers. */
@Controller
public class SystemController {

    private final InstanceRegistry instances;

    public SystemController(InstanceRegistry instances) {
        this.instances = instances;
    }

    @GetMapping("/system")
    public String system(Model model) {
        model.addAttribute("runs", instances.recent(10));
        return "procurator/system";
    }
}
