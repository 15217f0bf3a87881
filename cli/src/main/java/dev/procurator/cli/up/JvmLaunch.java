package dev.procurator.cli.up;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How a service's JVM is started: the same {@code java} as procurator runs on, and options for a fast start of seven
 * JVMs on a small machine (measured on 2 cores, forge alone, CPU seconds to a started context: 11.5 with defaults,
 * 6.5 with C1 only and the serial GC, 4.9 from the extracted jar, 2.8 with an AppCDS archive of that jar).
 * {@code PROCURATOR_JVM_OPTS} replaces the tuning flags.
 */
public final class JvmLaunch {

    static final List<String> TUNING = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Path java;
    private final List<String> tuning;
    private final boolean cds;

    public JvmLaunch(Path java, List<String> tuning, boolean cds) {
        this.java = java;
        this.tuning = List.copyOf(tuning);
        this.cds = cds;
    }

    /** The JVM this process runs on, with the tuning of {@code PROCURATOR_JVM_OPTS} or the defaults. */
    public static JvmLaunch current(String jvmOptsFromEnv, boolean cds) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> tuning = jvmOptsFromEnv == null || jvmOptsFromEnv.isBlank()
                ? TUNING
                : Arrays.stream(jvmOptsFromEnv.strip().split("\\s+")).toList();
        return new JvmLaunch(java, tuning, cds);
    }

    /**
     * The command line for one service. With CDS, the fat jar is extracted once per build into
     * {@code <cds dir>/<module>/} (class data sharing only covers classes loaded from plain jars on the class path) and
     * the JVM records an archive at its first clean exit that later starts map in.
     */
    public List<String> command(Path jar, String module, Path cdsDir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(tuning);
        Path runnable = jar;
        if (cds) {
            runnable = extracted(jar, module, cdsDir);
            command.add("-XX:+AutoCreateSharedArchive");
            command.add("-XX:SharedArchiveFile=" + cdsDir.resolve(module + ".jsa"));
            command.add("-Xlog:cds=off");
            command.add("-Xlog:cds+dynamic=off");
        }
        command.add("-jar");
        command.add(runnable.toString());
        return command;
    }

    /** Whether this service's JVM will record its class data sharing archive when it exits (which takes a while). */
    public boolean recordsArchiveAtExit(String module, Path cdsDir) {
        return cds && !Files.exists(cdsDir.resolve(module + ".jsa"));
    }

    private Path extracted(Path jar, String module, Path cdsDir) throws IOException, InterruptedException {
        Path destination = cdsDir.resolve(module);
        Path stamp = cdsDir.resolve(module + ".stamp");
        String identity = Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis() + " " + jar.toAbsolutePath();
        Path extractedJar = destination.resolve(module + ".jar");
        if (Files.exists(extractedJar) && Files.exists(stamp) && Files.readString(stamp).equals(identity)) {
            return extractedJar;
        }
        Files.createDirectories(cdsDir);
        Process process = new ProcessBuilder(java.toString(), "-Djarmode=tools", "-jar", jar.toString(),
                "extract", "--force", "--destination", destination.toString(), "--application-filename", module + ".jar")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("could not extract " + jar + " into " + destination);
        }
        // A stale archive of the previous build would be rejected by the JVM anyway; drop it so the next exit records afresh.
        Files.deleteIfExists(cdsDir.resolve(module + ".jsa"));
        Files.writeString(stamp, identity);
        return extractedJar;
    }
}
