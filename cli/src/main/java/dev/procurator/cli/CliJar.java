package dev.procurator.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The jar this CLI runs from ({@code java -jar <tree>/cli/target/cli.jar}, as {@code ./procurator} starts it), for what
 * must find it again later: the source tree {@code up} runs, the command git runs as a credential helper.
 */
public final class CliJar {

    private CliJar() {
    }

    /** The absolute path of the jar, or empty when the CLI runs from classes (an IDE, a test). */
    public static Optional<Path> path() {
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.isEmpty() || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(classPath).toAbsolutePath().normalize());
    }

    /**
     * The command that runs this CLI again: this JVM with this jar, tuned for a short run (C1 only, the serial GC:
     * {@code auth git-credential get} took 0.66 s of CPU instead of 1.22 s, measured with hyperfine).
     */
    public static Optional<List<String>> command() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return path().map(jar -> List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", jar.toString()));
    }
}
