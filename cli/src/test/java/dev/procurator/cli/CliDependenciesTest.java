package dev.procurator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.procurator.common.auth.AdminToken;
import dev.procurator.common.config.ServicePorts;

/**
 * The CLI shares common's plain-Java parts but must not carry the services' stack: its class path (this test's, minus
 * the test libraries) has no Spring and no logging framework, and what it uses from common works without them.
 */
class CliDependenciesTest {

    @Test
    void noSpringAndNoLoggingFrameworkOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName("org.springframework.core.env.Environment"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.slf4j.LoggerFactory")).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void commonsPlainPartsLoadWithoutThem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        assertThat(ServicePorts.FORGE.localUrl()).isEqualTo("http://localhost:7410");
        assertThat(AdminToken.of(null, dir).value()).startsWith("pcr_");
    }
}
