package dev.procurator.ci.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;

/**
 * Compares a commit's closures and blueprint with the branch's last successful deployment (none: every VM is new).
 * A VM changed when its closure (store path) or its spec differs; a replica count or a health check alone is a change
 * the control plane must roll out too.
 */
public final class ChangeDetector {

    private ChangeDetector() {
    }

    /**
     * @param previous the last successful deployment of the branch, or null
     */
    public static Changes detect(DeploymentArtifact previous, Map<String, String> closures, JsonNode blueprint) {
        TreeSet<String> vms = new TreeSet<>(closures.keySet());
        if (previous == null) {
            return new Changes(List.copyOf(vms), List.of(), List.of());
        }
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (String vm : vms) {
            if (!previous.closures().containsKey(vm)) {
                added.add(vm);
            } else if (!Objects.equals(previous.closures().get(vm), closures.get(vm))
                    || !Objects.equals(previous.blueprint().path(vm), blueprint.path(vm))) {
                changed.add(vm);
            }
        }
        List<String> removed = previous.closures().keySet().stream().filter(vm -> !closures.containsKey(vm))
                .sorted().toList();
        return new Changes(added, changed, removed);
    }
}
