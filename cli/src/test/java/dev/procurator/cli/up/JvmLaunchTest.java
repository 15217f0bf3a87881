package dev.procurator.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class JvmLaunchTest {

    private final ServiceSpec cache = ServiceCatalog.all().stream()
            .filter(spec -> spec.module().equals("cache-service")).findFirst().orElseThrow();
    private final ServiceSpec secrets = ServiceCatalog.all().stream()
            .filter(spec -> spec.module().equals("secret-manager")).findFirst().orElseThrow();

    @Test
    void bulkDataServicesKeepTheOptimizingCompilerUnderTheFastStartTuning() {
        JvmLaunch defaults = JvmLaunch.current(null, false);
        assertThat(defaults.tuningFor(secrets)).containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        assertThat(defaults.tuningFor(cache)).containsExactly("-XX:+UseSerialGC");
    }

    @Test
    void explicitOptionsApplyToEveryServiceAsGiven() {
        JvmLaunch custom = JvmLaunch.current(" -XX:TieredStopAtLevel=1  -Xmx512m ", false);
        assertThat(custom.tuningFor(cache)).isEqualTo(List.of("-XX:TieredStopAtLevel=1", "-Xmx512m"));
        assertThat(custom.tuningFor(secrets)).isEqualTo(List.of("-XX:TieredStopAtLevel=1", "-Xmx512m"));
    }
}
