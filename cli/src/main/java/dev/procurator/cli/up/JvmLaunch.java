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
 * Archives are recorded by separate training runs, not at the services' exit: dumping at exit made the first Ctrl-C
 * take over 30 s.
 * Services that move bulk data keep the optimizing compiler: C1-only code made a cache push 2.2x slower (sha256 and
 * decompression of every uploaded NAR). {@code PROCURATOR_JVM_OPTS} replaces the tuning flags for all services.
 */
public final class JvmLaunch {

    private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final List<String> BULK_DATA = List.of("-XX:+UseSerialGC");

    private final Path java;
    /** The flags of {@code PROCURATOR_JVM_OPTS}, or null for the defaults above. */
    private final List<String> explicitOptions;
    private final boolean cds;

    private JvmLaunch(Path java, List<String> explicitOptions, boolean cds) {
        this.java = java;
        this.explicitOptions = explicitOptions;
        this.cds = cds;
    }

    /** The JVM this process runs on, with the tuning of {@code PROCURATOR_JVM_OPTS} or the defaults. */
    public static JvmLaunch current(String jvmOptsFromEnv, boolean cds) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> explicit = jvmOptsFromEnv == null || jvmOptsFromEnv.isBlank()
                ? null
                : Arrays.stream(jvmOptsFromEnv.strip().split("\\s+")).toList();
        return new JvmLaunch(java, explicit, cds);
    }

    /**
     * The command line for one service. With CDS, the fat jar is extracted once per build into
     * {@code <cds dir>/<module>/} (class data sharing only covers classes loaded from plain jars on the class path), and
     * the archive {@link ArchiveRecorder} recorded for it is mapped in when there is one.
     */
    public List<String> command(Path jar, ServiceSpec spec, Path cdsDir) throws IOException, InterruptedException {
        String module = spec.module();
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(tuningFor(spec));
        Path runnable = jar;
        if (cds) {
            runnable = extracted(jar, module, cdsDir);
            if (Files.exists(archive(module, cdsDir))) {
                command.add("-XX:SharedArchiveFile=" + archive(module, cdsDir));
                command.add("-Xlog:cds=off");
                command.add("-Xlog:cds+dynamic=off");
            }
        }
        command.add("-jar");
        command.add(runnable.toString());
        return command;
    }

    List<String> tuningFor(ServiceSpec spec) {
        if (explicitOptions != null) {
            return explicitOptions;
        }
        return spec.bulkData() ? BULK_DATA : FAST_START;
    }

    /**
     * The training run that records a service's archive into {@code into}: the service starts its application context
     * and exits before serving ({@code spring.context.exit=onRefresh}), dumping the classes it loaded. Empty when CDS
     * is off or the archive exists.
     */
    public List<String> trainingCommand(ServiceSpec spec, Path cdsDir, Path into) {
        String module = spec.module();
        Path extractedJar = cdsDir.resolve(module).resolve(module + ".jar");
        if (!cds || Files.exists(archive(module, cdsDir)) || !Files.exists(extractedJar)) {
            return List.of();
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(tuningFor(spec));
        command.add("-XX:ArchiveClassesAtExit=" + into);
        command.add("-Dspring.context.exit=onRefresh");
        command.add("-jar");
        command.add(extractedJar.toString());
        return command;
    }

    static Path archive(String module, Path cdsDir) {
        return cdsDir.resolve(module + ".jsa");
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
        // A stale archive of the previous build would be rejected by the JVM anyway; drop it so a new one is recorded.
        Files.deleteIfExists(archive(module, cdsDir));
        Files.writeString(stamp, identity);
        return extractedJar;
    }
}
