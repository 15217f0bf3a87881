package dev.procurator.ci.flake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import dev.procurator.ci.CiProperties;
import dev.procurator.ci.checkout.FlakeSource;
import dev.procurator.ci.log.StepLog;
import dev.procurator.ci.nix.Nix;
import dev.procurator.ci.pipeline.StepFailure;
import dev.procurator.schema.blueprint.Blueprint;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Evaluates, in one {@code nix eval}, everything the pipeline needs from the flake: {@code blueprintJSON}, the
 * derivation of every VM's closure ({@code nixosConfigurations.<vm>.config.system.build.toplevel}) and
 * {@code procurator.ci}. One evaluation: every {@code nix} run pays a process start and a flake lookup, and the build
 * that follows needs no evaluation of its own. The blueprint is validated with the model the control plane uses; a VM
 * without a closure output fails the step naming the VM and the attribute; {@code procurator.ci} is checked against
 * its schema.
 */
@Component
public class BlueprintEvaluator {

    private static final TypeReference<Map<String, Blueprint.Vm>> VMS = new TypeReference<>() {
    };

    private final Nix nix;
    private final ObjectMapper json;
    private final CiProperties properties;

    BlueprintEvaluator(Nix nix, ObjectMapper json, CiProperties properties) {
        this.nix = nix;
        this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        this.properties = properties;
    }

    public Evaluation evaluate(FlakeSource source, StepLog log) {
        String expression = """
                let
                  flake = builtins.getFlake %s;
                  configurations = flake.nixosConfigurations or { };
                  blueprint = flake.blueprintJSON or null;
                in {
                  inherit blueprint;
                  ci = flake.procurator.ci or null;
                  toplevels = if builtins.isAttrs blueprint
                    then builtins.mapAttrs
                      (vm: _: configurations.${vm}.config.system.build.toplevel.drvPath or null) blueprint
                    else { };
                }""".formatted(source.nixString());
        String output = nix.run(List.of("eval", "--json", "--expr", expression), properties.evaluationTimeout(), log)
                .stdout();
        JsonNode result = json.readTree(output);
        JsonNode blueprintJson = result.path("blueprint");
        if (blueprintJson.isNull() || blueprintJson.isMissingNode()) {
            throw new StepFailure("the flake has no output blueprintJSON: define it with Procurator's cluster "
                    + "model (nix/lib/cluster.nix), see the CI service's README");
        }
        if (!blueprintJson.isObject()) {
            throw new StepFailure("blueprintJSON must be an attribute set of VMs, got " + blueprintJson.getNodeType());
        }
        Blueprint blueprint = parse(blueprintJson);
        List<String> missing = new ArrayList<>();
        Map<String, String> derivations = new TreeMap<>();
        result.path("toplevels").properties().forEach(entry -> {
            if (entry.getValue().isString()) {
                derivations.put(entry.getKey(), entry.getValue().asString());
            } else {
                missing.add("VM '" + entry.getKey() + "' has no closure: the flake has no derivation at "
                        + Evaluation.toplevelAttribute(entry.getKey()));
            }
        });
        if (!missing.isEmpty()) {
            missing.forEach(log::line);
            throw new StepFailure(String.join("\n", missing) + "\n(each VM of blueprintJSON needs a NixOS system, "
                    + "nixosConfigurations.<vm>, whose config.system.build.toplevel is a derivation)");
        }
        log.line("blueprint: " + blueprint.vms().size() + " VM(s) " + blueprint.vms().keySet());
        CiConfig ci = ciConfig(result.path("ci"), log);
        return new Evaluation(blueprintJson, blueprint, new TreeMap<>(derivations), ci);
    }

    private CiConfig ciConfig(JsonNode json, StepLog log) {
        try {
            CiConfig config = CiConfig.parse(json, properties.commandTimeout(), properties.maxCommandTimeout());
            log.line(config.steps().isEmpty() ? "procurator.ci: no commands"
                    : "procurator.ci: " + config.steps().stream().map(CiConfig.Step::stepName).toList());
            return config;
        } catch (CiConfig.InvalidCiConfig invalid) {
            throw new StepFailure("procurator.ci is invalid:\n" + invalid.getMessage());
        }
    }

    private Blueprint parse(JsonNode blueprintJson) {
        Blueprint blueprint;
        try {
            blueprint = Blueprint.of(json.treeToValue(blueprintJson, VMS));
        } catch (JacksonException e) {
            throw new StepFailure("blueprintJSON does not have the cluster model's shape: " + e.getOriginalMessage());
        }
        List<String> problems = blueprint.problems();
        if (!problems.isEmpty()) {
            throw new StepFailure("blueprintJSON is invalid:\n" + String.join("\n", problems));
        }
        return blueprint;
    }
}
