package dev.procurator.worker.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.procurator.worker.cgroup.Cgroups;
import dev.procurator.worker.config.WorkerProperties;
import dev.procurator.worker.host.HostStats;
import dev.procurator.worker.master.MasterLink;
import dev.procurator.worker.vm.ReplicaKey;
import dev.procurator.worker.vm.ReplicaView;
import dev.procurator.worker.vm.VmSupervisor;
import dev.procurator.worker.vmm.VmmDrivers;

/**
 * The worker agent's dashboard at {@code /}: this host's capacity and usage, its link to the control plane, and
 * every VM with its state, closure, health, uptime, resources and the tail of its console.
 */
@Controller
class DashboardController {

    private static final int CONSOLE_TAIL = 15;

    private final VmSupervisor supervisor;
    private final HostStats host;
    private final MasterLink master;
    private final WorkerProperties properties;
    private final Cgroups cgroups;
    private final VmmDrivers drivers;

    DashboardController(VmSupervisor supervisor, HostStats host, MasterLink master, WorkerProperties properties,
                        Cgroups cgroups, VmmDrivers drivers) {
        this.supervisor = supervisor;
        this.host = host;
        this.master = master;
        this.properties = properties;
        this.cgroups = cgroups;
        this.drivers = drivers;
    }

    @GetMapping("/")
    String dashboard(Model model) {
        List<ReplicaView> vms = supervisor.views();
        Map<String, String> consoles = new LinkedHashMap<>();
        Map<String, String> uptimes = new LinkedHashMap<>();
        for (ReplicaView vm : vms) {
            String id = vm.name() + "." + vm.replica();
            consoles.put(id, supervisor.console(new ReplicaKey(vm.name(), vm.replica()))
                    .map(c -> String.join("\n", c.tail(CONSOLE_TAIL).lines())).orElse(""));
            uptimes.put(id, vm.startedAt() == null ? "–" : uptime(vm.metrics().uptimeSeconds()));
        }
        HostStats.Capacity capacity = host.capacity();
        model.addAttribute("workerId", properties.id());
        model.addAttribute("labels", properties.labels());
        model.addAttribute("masterState", master.state());
        model.addAttribute("capacity", capacity);
        model.addAttribute("usage", host.usage());
        model.addAttribute("reservedCpu", vms.stream().filter(v -> !v.closure().isEmpty()).mapToDouble(ReplicaView::cpu).sum());
        model.addAttribute("reservedMemoryMb", vms.stream().filter(v -> !v.closure().isEmpty()).mapToLong(ReplicaView::memoryMb).sum());
        model.addAttribute("limits", cgroups.description());
        model.addAttribute("backends", drivers.installed().stream().map(VmmDrivers::name).toList());
        model.addAttribute("network", properties.network().name().toLowerCase(java.util.Locale.ROOT));
        model.addAttribute("vms", vms);
        model.addAttribute("consoles", consoles);
        model.addAttribute("uptimes", uptimes);
        return "dashboard";
    }

    /** "1d 2h", "3h 4m", "5m 6s": an uptime for people. */
    static String uptime(long seconds) {
        if (seconds >= 86_400) {
            return seconds / 86_400 + "d " + seconds % 86_400 / 3600 + "h";
        }
        if (seconds >= 3600) {
            return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
        }
        return seconds >= 60 ? seconds / 60 + "m " + seconds % 60 + "s" : seconds + "s";
    }
}
