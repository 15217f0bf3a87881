package dev.procurator.cli.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliConfigTest {

    @TempDir
    Path dir;

    @Test
    void theFileFollowsXdgConfigHomeThenHome() {
        assertThat(CliConfig.file(Map.of("XDG_CONFIG_HOME", "/xdg", "HOME", "/home/ann")))
                .isEqualTo(Path.of("/xdg/procurator/config"));
        assertThat(CliConfig.file(Map.of("HOME", "/home/ann")))
                .isEqualTo(Path.of("/home/ann/.config/procurator/config"));
        // The XDG Base Directory specification: a relative path is invalid and ignored.
        assertThat(CliConfig.file(Map.of("XDG_CONFIG_HOME", "relative", "HOME", "/home/ann")))
                .isEqualTo(Path.of("/home/ann/.config/procurator/config"));
        assertThat(CliConfig.file(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".config", "procurator", "config"));
    }

    @Test
    void defaultsAreTheLocalPlatformsPorts() {
        CliConfig config = CliConfig.load(Map.of(), dir.resolve("none"));

        assertThat(config.url(CliConfig.Endpoint.FORGE)).isEqualTo("http://localhost:7410");
        assertThat(config.url(CliConfig.Endpoint.CACHE)).isEqualTo("http://localhost:7430");
        assertThat(config.url(CliConfig.Endpoint.CONTROL_PLANE_RPC)).isEqualTo("localhost:7441");
        assertThat(config.token()).isNull();
    }

    @Test
    void savedPrivatelyAndTheEnvironmentWins() throws Exception {
        Path file = dir.resolve("procurator/config");
        CliConfig.load(Map.of(), file)
                .loggedIn("pcr_saved", "ann", Map.of(CliConfig.Endpoint.FORGE.key(), "http://git.example:9000"))
                .save(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        CliConfig saved = CliConfig.load(Map.of(), file);
        assertThat(saved.token()).isEqualTo("pcr_saved");
        assertThat(saved.user()).isEqualTo("ann");
        assertThat(saved.url(CliConfig.Endpoint.FORGE)).isEqualTo("http://git.example:9000");

        CliConfig overridden = CliConfig.load(Map.of("PROCURATOR_TOKEN", "pcr_env",
                "PROCURATOR_FORGE_URL", "http://other:7410/"), file);
        assertThat(overridden.token()).isEqualTo("pcr_env");
        assertThat(overridden.user()).as("the saved user goes with the saved token").isNull();
        assertThat(overridden.url(CliConfig.Endpoint.FORGE)).isEqualTo("http://other:7410");
    }

    @Test
    void loggingOutKeepsTheUrlsOnly() {
        Path file = dir.resolve("config");
        CliConfig.load(Map.of(), file)
                .loggedIn("pcr_saved", "ann", Map.of(CliConfig.Endpoint.FORGE.key(), "http://git.example:9000"))
                .loggedOut().save(file);

        CliConfig after = CliConfig.load(Map.of(), file);
        assertThat(after.token()).isNull();
        assertThat(after.user()).isNull();
        assertThat(after.url(CliConfig.Endpoint.FORGE)).isEqualTo("http://git.example:9000");
    }
}
