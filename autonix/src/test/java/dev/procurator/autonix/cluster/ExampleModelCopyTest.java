package dev.procurator.autonix.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.procurator.autonix.testing.Fixtures;

/**
 * nix/lib/cluster.nix and nix/lib/microvm.nix are the one source of the cluster model and the guest kit; example/
 * ships copies so it works pushed on its own. This keeps the copies from drifting: change nix/lib, then
 * `cp nix/lib/cluster.nix nix/lib/microvm.nix example/lib/`.
 */
class ExampleModelCopyTest {

    @ParameterizedTest
    @ValueSource(strings = {"cluster.nix", "microvm.nix"})
    void theExampleCarriesAnIdenticalCopyOf(String file) throws Exception {
        Path source = Fixtures.PROJECT_ROOT.resolve("nix/lib/" + file);
        Path copy = Fixtures.PROJECT_ROOT.resolve("example/lib/" + file);

        assertThat(Files.readString(copy))
                .as("example/lib/%s must equal nix/lib/%s (cp nix/lib/%s example/lib/)", file, file, file)
                .isEqualTo(Files.readString(source));
    }
}
