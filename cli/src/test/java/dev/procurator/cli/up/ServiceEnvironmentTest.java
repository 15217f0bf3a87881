package dev.procurator.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {

    private final Path data = Path.of("/srv/procurator");

    @Test
    void givesEachServiceItsPortDataDirTokenAndPeers() {
        List<ServiceSpec> all = ServiceCatalog.select(List.of());
        ServiceSpec controlPlane = ServiceCatalog.select(List.of("control-plane")).getFirst();

        Map<String, String> env = ServiceEnvironment.of(controlPlane, all, 20000, data, "pcr_x", Map.of());

        assertThat(env).containsEntry("SERVER_PORT", "20030")
                .containsEntry("PROCURATOR_DATA_DIR", "/srv/procurator/control-plane")
                .containsEntry("PROCURATOR_ADMIN_TOKEN", "pcr_x")
                .containsEntry("PROCURATOR_FORGE_URL", "http://localhost:20000")
                .containsEntry("PROCURATOR_CI_URL", "http://localhost:20010")
                .containsEntry("PROCURATOR_OBSERVABILITY_URL", "http://localhost:20060")
                .containsEntry("PROCURATOR_CONTROL_PLANE_RPC", "localhost:20031")
                .containsEntry("PROCURATOR_RPC_PORT", "20031");
    }

    @Test
    void peersNotStartedKeepTheAddressFromTheEnvironment() {
        List<ServiceSpec> onlyCi = ServiceCatalog.select(List.of("ci-service"));
        Map<String, String> inherited = Map.of("PROCURATOR_FORGE_URL", "https://git.example.org",
                "PROCURATOR_CONTROL_PLANE_RPC", "cp.example.org:7441");

        Map<String, String> env = ServiceEnvironment.of(onlyCi.getFirst(), onlyCi, 7410, data, "t", inherited);

        assertThat(env).doesNotContainKeys("PROCURATOR_FORGE_URL", "PROCURATOR_CONTROL_PLANE_RPC", "PROCURATOR_RPC_PORT")
                .containsEntry("PROCURATOR_CI_URL", "http://localhost:7420")
                .containsEntry("PROCURATOR_CACHE_URL", "http://localhost:7430");
    }
}
