package dev.procurator.ci.flake;

import java.util.SortedMap;

import dev.procurator.schema.blueprint.Blueprint;
import tools.jackson.databind.JsonNode;

/**
 * What the evaluation of a commit found: the blueprint as the flake wrote it (kept verbatim for the deployment
 * artifact), the same as the shared model (validated), the derivation of each VM's system closure, and the flake's
 * {@code procurator.ci} commands.
 */
public record Evaluation(JsonNode blueprintJson, Blueprint blueprint, SortedMap<String, String> derivations,
                        CiConfig ci) {

    /** The closure attribute of a VM, as on NixOS. */
    public static String toplevelAttribute(String vm) {
        return "nixosConfigurations." + vm + ".config.system.build.toplevel";
    }
}
