package dev.procurator.ci.deployment;

import java.util.List;
import java.util.TreeSet;

/**
 * How a commit's VMs differ from the branch's last successful deployment: added, changed (another closure or another
 * spec in the blueprint) and removed VMs, each sorted by name.
 */
public record Changes(List<String> added, List<String> changed, List<String> removed) {

    public Changes {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
    }

    public boolean any() {
        return !added.isEmpty() || !changed.isEmpty() || !removed.isEmpty();
    }

    /** Every VM the control plane has to act on, sorted. */
    public List<String> changedVms() {
        TreeSet<String> all = new TreeSet<>(added);
        all.addAll(changed);
        all.addAll(removed);
        return List.copyOf(all);
    }
}
