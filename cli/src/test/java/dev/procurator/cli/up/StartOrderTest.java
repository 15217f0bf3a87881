package dev.procurator.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class StartOrderTest {

    private static List<List<String>> names(List<List<ServiceSpec>> waves) {
        return waves.stream().map(wave -> wave.stream().map(ServiceSpec::module).toList()).toList();
    }

    @Test
    void startsTheFoundationInParallelThenCiAndTheWorker() {
        List<List<ServiceSpec>> waves = StartOrder.waves(ServiceCatalog.select(List.of()));

        assertThat(names(waves)).containsExactly(
                List.of("forge", "cache-service", "control-plane", "secret-manager", "observability"),
                List.of("ci-service", "worker-agent"));
    }

    @Test
    void dependenciesLeftOutWithOnlyAreNotWaitedFor() {
        List<List<ServiceSpec>> waves = StartOrder.waves(ServiceCatalog.select(List.of("worker-agent", "control-plane")));

        assertThat(names(waves)).containsExactly(List.of("control-plane"), List.of("worker-agent"));
        assertThat(names(StartOrder.waves(ServiceCatalog.select(List.of("ci-service")))))
                .containsExactly(List.of("ci-service"));
    }

    @Test
    void aCycleIsReportedNotLoopedOn() {
        ServiceSpec a = new ServiceSpec("a", 0, "A_URL", List.of("b"));
        ServiceSpec b = new ServiceSpec("b", 1, "B_URL", List.of("a"));

        assertThatThrownBy(() -> StartOrder.waves(List.of(a, b))).hasMessageContaining("cycle");
    }

    @Test
    void unknownServicesAreRejectedWithTheKnownOnes() {
        assertThatThrownBy(() -> ServiceCatalog.select(List.of("forge", "nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope'")
                .hasMessageContaining("observability");
    }
}
