package dev.procurator.autonix.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.autonix.testing.Fixtures;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.testing.NixSandbox;
import dev.procurator.common.testing.RequiresTool;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * example/ pushed on its own, as a new user does: copied into a fresh git repository (not evaluated in place, where
 * uncommitted edits would be invisible to nix), then evaluated, checked and built offline.
 */
@RequiresTool({"nix", "git"})
class ExampleFlakeIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    private NixSandbox nix;
    private Path example;

    @BeforeEach
    void pushExampleAlone() {
        nix = new NixSandbox(temp.resolve("nix-env"));
        example = Fixtures.copy(Fixtures.PROJECT_ROOT.resolve("example"), temp.resolve("example"));
        nix.gitAddAll(example);
    }

    @Test
    void blueprintIsTheNormalisedTwoVmCluster() throws Exception {
        ProcessResult result = nix.nix(example, "eval", "--json", ".#blueprintJSON").requireSuccess();

        JsonNode expected = JSON.readTree(Files.readString(Path.of("src/test/resources/expected/example-blueprint.json")));
        assertThat(JSON.readTree(result.stdout())).isEqualTo(expected);
        assertThat(Files.exists(example.resolve("flake.lock"))).as("a flake without inputs writes no lock").isFalse();
    }

    @Test
    void flakeCheckPasses() {
        ProcessResult result = nix.nix(example, "flake", "check");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }

    @Test
    void everyVmOfTheBlueprintHasANixosToplevelToBuild() throws Exception {
        ProcessResult result = nix.nix(example, "eval", "--json", ".#nixosConfigurations",
                "--apply", "configurations: builtins.mapAttrs (_: c: c.config.system.build.toplevel.name) configurations")
                .requireSuccess();

        // The closures themselves are built (kernel and all) and booted by the e2e GitOps scenarios.
        assertThat(JSON.readTree(result.stdout())).isEqualTo(JSON.readTree("{\"api\": \"api\", \"web\": \"web\"}"));
    }

    @Test
    void aBadClusterEditFailsEvaluationWithAClearMessage() throws Exception {
        Path flake = example.resolve("flake.nix");
        Files.writeString(flake,
                Files.readString(flake).replaceFirst("backend = \"qemu\";", "backend = \"firecracker\";"));

        ProcessResult result = nix.nix(example, "eval", "--json", ".#blueprintJSON");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("error: procurator cluster: vms.web.deployment.backend: "
                + "must be one of \"cloud-hypervisor\", \"qemu\", got \"firecracker\"");
    }
}
