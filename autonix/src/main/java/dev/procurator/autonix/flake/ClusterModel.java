package dev.procurator.autonix.flake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** nix/lib/cluster.nix, packaged into this jar by the build (see pom.xml), so a generated flake can carry it. */
final class ClusterModel {

    private static final String RESOURCE = "cluster.nix";

    private ClusterModel() {
    }

    static String source() {
        try (InputStream in = ClusterModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the autonix jar (built without nix/lib?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
