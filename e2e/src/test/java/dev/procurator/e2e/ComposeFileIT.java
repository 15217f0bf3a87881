package dev.procurator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.procurator.common.process.Command;
import dev.procurator.common.process.Executables;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.process.ProcessRunner;
import dev.procurator.common.testing.RequiresTool;

/**
 * The compose file is valid and wires every service the way {@code procurator up} does. Validation is offline:
 * {@code docker compose config} where the plugin exists, else Debian's {@code docker-compose}.
 */
@RequiresTool("docker-compose")
class ComposeFileIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> SERVICES = List.of("forge", "ci-service", "cache-service", "control-plane",
            "worker-agent", "secret-manager", "observability");

    private final ProcessRunner runner = new ProcessRunner();

    @Test
    void composeFileIsValidAndWiresEveryService() {
        String config = compose("config").requireSuccess().stdout();

        assertThat(config).contains("postgres:");
        for (String service : SERVICES) {
            assertThat(config).as(service).contains("  " + service + ":").contains("MODULE: " + service);
            assertThat(Files.exists(REPO.resolve(service).resolve("pom.xml"))).as("module " + service).isTrue();
        }
        assertThat(config).contains("PROCURATOR_DB_URL: jdbc:postgresql://postgres:5432/procurator",
                "PROCURATOR_CONTROL_PLANE_RPC: control-plane:7441", "PROCURATOR_ADMIN_TOKEN: test-token");
    }

    @Test
    void refusesToStartWithoutAnAdminToken() {
        ProcessResult result = runner.run(command("config", "-q").withEnv("PROCURATOR_ADMIN_TOKEN", ""));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stdout() + result.stderr()).contains("set PROCURATOR_ADMIN_TOKEN");
    }

    private ProcessResult compose(String... args) {
        return runner.run(command(args).withEnv("PROCURATOR_ADMIN_TOKEN", "test-token"));
    }

    private Command command(String... args) {
        List<String> argv = new ArrayList<>(dockerComposePlugin() ? List.of("docker", "compose") : List.of("docker-compose"));
        argv.addAll(List.of(args));
        return Command.of(argv).in(REPO).withEnv(Map.of("COMPOSE_PROJECT_NAME", "procurator-test"));
    }

    private boolean dockerComposePlugin() {
        return Executables.find("docker").isPresent()
                && runner.run(Command.of("docker", "compose", "version")).succeeded();
    }
}
