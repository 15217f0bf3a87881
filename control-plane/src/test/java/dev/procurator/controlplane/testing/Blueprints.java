package dev.procurator.controlplane.testing;

import java.util.List;

import dev.procurator.schema.blueprint.Blueprint;

/** Blueprint VMs for tests: small resources, one HTTP check, short Nomad-style times. */
public final class Blueprints {

    private Blueprints() {
    }

    public static Blueprint.Vm vm(int replicas, Blueprint.Strategy strategy) {
        return vm(1, 512, replicas, strategy, true);
    }

    public static Blueprint.Vm vm(double cpu, long memoryMb, int replicas, Blueprint.Strategy strategy,
                                  boolean autoRollback) {
        return new Blueprint.Vm("web", cpu, new Blueprint.Memory(memoryMb, "MB", memoryMb), List.of(), replicas,
                List.of(8080), new Blueprint.Deployment(null, "qemu", "root", 22,
                List.of(Blueprint.HealthCheck.http(8080, "/health", 200, null, 1, 1, 1, 0)), autoRollback, strategy));
    }

    public static Blueprint.Strategy rolling(int maxParallel) {
        return Blueprint.Strategy.rolling(maxParallel, 0, 20, 40);
    }

    public static Blueprint.Strategy rolling(int maxParallel, int minHealthy, int healthyDeadline, int progress) {
        return Blueprint.Strategy.rolling(maxParallel, minHealthy, healthyDeadline, progress);
    }

    public static Blueprint.Strategy blueGreen(int maxParallel, int keepOld) {
        return new Blueprint.Strategy("blue-green", maxParallel, 0, 20, 40, keepOld, null, null, null);
    }

    public static Blueprint.Strategy canary(int canaries, boolean autoPromote, int promoteAfter) {
        return new Blueprint.Strategy("canary", 1, 0, 20, 40, null, canaries, autoPromote, promoteAfter);
    }
}
