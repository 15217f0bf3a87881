package dev.procurator.autonix.flake;

import java.util.List;

/**
 * The starting point autonix proposes for one VM, in the cluster model's terms (nix/lib/cluster.nix).
 *
 * @param comment why it looks like this (printed above the VM in the flake)
 */
record VmPlan(String name, String comment, String role, int cpu, int memoryAmount, String memoryUnit,
              List<String> labels, List<HealthCheck> healthChecks) {

    /** {@code type} "http" (with {@code path}) or "tcp". */
    record HealthCheck(String type, int port, String path) {
    }
}
