package dev.procurator.worker.testing;

import java.util.List;

import dev.procurator.schema.blueprint.Blueprint;

/** VM specs for tests: the kit's web service (port 80, {@code GET /health}), small and quick to judge. */
public final class TestVms {

    private TestVms() {
    }

    /**
     * 1 CPU, 128 MiB, port 80, an HTTP check every 2 s with 3 retries after a 15 s start period (a guest under TCG on
     * a loaded 2-core machine may take that long to boot), rolled back when it fails.
     */
    public static Blueprint.Vm web(String backend) {
        return web(backend, 1.0, 128);
    }

    public static Blueprint.Vm web(String backend, double cpu, long memoryMb) {
        Blueprint.HealthCheck check = Blueprint.HealthCheck.http(80, "/health", 200, "ok", 2, 2, 3, 15);
        return new Blueprint.Vm("web", cpu, new Blueprint.Memory(memoryMb, "MB", memoryMb), List.of(), 1, List.of(80),
                new Blueprint.Deployment(null, backend, "root", 22, List.of(check), true,
                        Blueprint.Strategy.rolling(1, 1, 120, 240)));
    }
}
