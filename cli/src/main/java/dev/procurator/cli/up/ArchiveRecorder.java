package dev.procurator.cli.up;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.procurator.common.auth.Tokens;

/**
 * Records the class data sharing archives the services lack, one training run at a time in the background once the
 * platform is up, so the next {@code procurator up} starts about twice as fast. Each run gets a throwaway data
 * directory; its output goes to {@code <cds dir>/<module>.training.log}.
 */
final class ArchiveRecorder {

    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(5);

    private final JvmLaunch jvm;
    private final Path cdsDir;
    private final Output output;
    private final ExecutorService tasks;
    private Process current;
    private boolean stopped;

    ArchiveRecorder(JvmLaunch jvm, Path cdsDir, Output output, ExecutorService tasks) {
        this.jvm = jvm;
        this.cdsDir = cdsDir;
        this.output = output;
        this.tasks = tasks;
    }

    void start(List<ServiceSpec> services) {
        List<ServiceSpec> missing = services.stream()
                .filter(spec -> !jvm.trainingCommand(spec, cdsDir, partial(spec)).isEmpty())
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        output.say("recording class data sharing archives for " + missing.size()
                + " service(s) in the background: the next start will be faster");
        tasks.submit(() -> {
            Instant begin = Instant.now();
            int recorded = 0;
            for (ServiceSpec spec : missing) {
                if (record(spec)) {
                    recorded++;
                }
            }
            synchronized (this) {
                if (!stopped) {
                    output.say(String.format("recorded %d of %d class data sharing archives in %d s", recorded,
                            missing.size(), Duration.between(begin, Instant.now()).toSeconds()));
                }
            }
        });
    }

    /** Ends a training run in progress (its half-written archive is discarded). */
    void stop() {
        Process running;
        synchronized (this) {
            stopped = true;
            running = current;
        }
        if (running != null) {
            ProcessTree.stop(running.toHandle(), Duration.ofSeconds(2));
        }
    }

    private boolean record(ServiceSpec spec) {
        Path partial = partial(spec);
        Path scratch = cdsDir.resolve("training").resolve(spec.module());
        try {
            Files.deleteIfExists(partial);
            Files.createDirectories(scratch);
            ProcessBuilder builder = new ProcessBuilder(
                    ProcessTree.inOwnSession(jvm.trainingCommand(spec, cdsDir, partial)))
                    .directory(scratch.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(cdsDir.resolve(spec.module() + ".training.log").toFile());
            builder.environment().putAll(Map.of(
                    "SERVER_PORT", "0",
                    "PROCURATOR_RPC_PORT", "0",
                    "PROCURATOR_DATA_DIR", scratch.toString(),
                    "PROCURATOR_ADMIN_TOKEN", Tokens.generate()));
            Process process;
            synchronized (this) {
                if (stopped) {
                    return false;
                }
                process = builder.start();
                current = process;
            }
            process.getOutputStream().close();
            boolean finished = process.waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!finished) {
                ProcessTree.stop(process.toHandle(), Duration.ofSeconds(2));
            }
            synchronized (this) {
                current = null;
                if (stopped || !finished || process.exitValue() != 0 || !Files.exists(partial)) {
                    return false;
                }
            }
            Files.move(partial, JvmLaunch.archive(spec.module(), cdsDir), StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            output.say("could not record the archive of " + spec.module() + ": " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            deleteQuietly(scratch);
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover partial archive is overwritten next time
            }
        }
    }

    private Path partial(ServiceSpec spec) {
        return cdsDir.resolve(spec.module() + ".jsa.part");
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(tree.sorted(Comparator.reverseOrder()).toList());
            for (Path path : paths) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // scratch data of a training run; harmless if it stays
        }
    }
}
