package dev.procurator.autonix.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The fixture repositories under src/test/resources/fixtures, read from the source tree (surefire runs in the module
 * directory) because Maven's resource copy drops some dotfiles a repository has.
 */
public final class Fixtures {

    public static final Path ROOT = Path.of("src/test/resources/fixtures").toAbsolutePath();
    /** The repository root (autonix's parent), where nix/ and example/ live. */
    public static final Path PROJECT_ROOT = Path.of("").toAbsolutePath().getParent();

    private Fixtures() {
    }

    public static Path path(String name) {
        return ROOT.resolve(name);
    }

    /** A copy of a fixture (or of any directory) that a test may change. */
    public static Path copy(Path source, Path target) {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path destination = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
