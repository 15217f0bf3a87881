package dev.procurator.ci.closure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import dev.procurator.ci.CiProperties;
import dev.procurator.ci.log.StepLog;
import dev.procurator.ci.nix.Nix;
import dev.procurator.ci.pipeline.StepFailure;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Builds every VM's system closure in one {@code nix build --no-link --json} of their derivations: Nix schedules the
 * builds of all VMs together (in parallel, shared dependencies once) instead of one VM after the other.
 */
@Component
public class ClosureBuilder {

    private final Nix nix;
    private final ObjectMapper json;
    private final CiProperties properties;

    ClosureBuilder(Nix nix, ObjectMapper json, CiProperties properties) {
        this.nix = nix;
        this.json = json;
        this.properties = properties;
    }

    /**
     * @param derivations the toplevel derivation of each VM
     * @return the system closure (store path) of each VM
     */
    public SortedMap<String, String> build(Map<String, String> derivations, StepLog log) {
        SortedMap<String, String> closures = new TreeMap<>();
        if (derivations.isEmpty()) {
            log.line("no VM: nothing to build");
            return closures;
        }
        List<String> args = new ArrayList<>(List.of("build", "--no-link", "--json"));
        args.addAll(new java.util.TreeSet<>(derivations.values()));
        String output = nix.run(args, properties.buildTimeout(), log).stdout();
        Map<String, String> outByDerivation = new TreeMap<>();
        for (JsonNode built : json.readTree(output)) {
            outByDerivation.put(built.path("drvPath").asString(), built.path("outputs").path("out").asString());
        }
        derivations.forEach((vm, drv) -> {
            String out = outByDerivation.get(drv);
            if (out == null || out.isEmpty()) {
                throw new StepFailure("nix build reported no output for " + vm + " (" + drv + ")");
            }
            closures.put(vm, out);
            log.line(vm + " => " + out);
        });
        return closures;
    }
}
