package dev.procurator.autonix.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.procurator.autonix.testing.Fixtures;

/**
 * nix/lib/cluster.nix is the one source of the cluster model; example/ ships a copy so it works pushed on its own.
 * This keeps the copy from drifting: change nix/lib, then `cp nix/lib/cluster.nix example/lib/`.
 */
class ExampleModelCopyTest {

    @Test
    void theExampleCarriesAnIdenticalCopyOfTheClusterModel() throws Exception {
        Path source = Fixtures.PROJECT_ROOT.resolve("nix/lib/cluster.nix");
        Path copy = Fixtures.PROJECT_ROOT.resolve("example/lib/cluster.nix");

        assertThat(Files.readString(copy))
                .as("example/lib/cluster.nix must equal nix/lib/cluster.nix (cp nix/lib/cluster.nix example/lib/)")
                .isEqualTo(Files.readString(source));
    }
}
