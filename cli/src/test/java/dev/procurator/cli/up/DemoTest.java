package dev.procurator.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class DemoTest {

    @Test
    void theDemoNeedsTheFiveServicesOnTheGitOpsPath() {
        assertThat(Demo.missingServices(ServiceCatalog.select(List.of()))).isEmpty();
        assertThat(Demo.missingServices(ServiceCatalog.select(List.of("forge", "cache-service", "secret-manager"))))
                .containsExactly("ci-service", "control-plane", "worker-agent");
    }

    @Test
    void onlyTheWorkerIsToldToStopItsVmsWithThePlatform() {
        assertThat(Demo.serviceEnvironment("worker-agent")).containsEntry("PROCURATOR_WORKER_STOPVMSONEXIT", "true");
        assertThat(Demo.serviceEnvironment("control-plane")).isEmpty();
    }
}
