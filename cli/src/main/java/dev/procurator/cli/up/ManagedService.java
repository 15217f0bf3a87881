package dev.procurator.cli.up;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * One service's process, kept running: its output goes to its {@link ServiceOutput}, a crash is reported and followed
 * by a restart after a backoff delay, and {@link #stop} ends it and its descendants. The threads that wait for the
 * process and read its output are tasks of the supervisor's executor.
 */
final class ManagedService {

    private final ServiceSpec spec;
    private final Launch launch;
    private final ServiceOutput output;
    private final Backoff backoff;
    private final LongConsumer onLaunch;
    private final ExecutorService tasks;
    private final Object lock = new Object();

    private Process process;
    private boolean stopping;
    private int crashes;
    private Future<?> supervisor;

    /** How the service's process is started. */
    record Launch(List<String> command, Map<String, String> environment, Path workDir) {
        Launch {
            command = List.copyOf(command);
            environment = Map.copyOf(environment);
        }
    }

    ManagedService(ServiceSpec spec, Launch launch, ServiceOutput output, Backoff backoff, LongConsumer onLaunch,
                   ExecutorService tasks) {
        this.spec = spec;
        this.launch = launch;
        this.output = output;
        this.backoff = backoff;
        this.onLaunch = onLaunch;
        this.tasks = tasks;
    }

    ServiceSpec spec() {
        return spec;
    }

    ServiceOutput output() {
        return output;
    }

    /** Starts the process and a task that restarts it whenever it exits unasked; {@code onLaunch} sees every pid. */
    void start() throws IOException {
        Process first = launch();
        synchronized (lock) {
            supervisor = tasks.submit(() -> supervise(first));
        }
    }

    int crashes() {
        synchronized (lock) {
            return crashes;
        }
    }

    boolean running() {
        synchronized (lock) {
            return process != null && process.isAlive();
        }
    }

    /** Stops the service for good; returns false if it had to be killed. */
    boolean stop(Duration grace) {
        Process current;
        Future<?> supervising;
        synchronized (lock) {
            stopping = true;
            current = process;
            supervising = supervisor;
        }
        if (supervising != null) {
            supervising.cancel(true); // cut a pending restart delay short
        }
        return current == null || ProcessTree.stop(current.toHandle(), grace);
    }

    private Process launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ProcessTree.inOwnSession(launch.command()))
                .directory(launch.workDir().toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(launch.environment());
        Process started = builder.start();
        started.getOutputStream().close();
        synchronized (lock) {
            process = started;
        }
        output.launched(started.pid());
        onLaunch.accept(started.pid());
        tasks.submit(() -> pump(started));
        return started;
    }

    private void supervise(Process first) {
        Process current = first;
        while (true) {
            Instant started = Instant.now();
            int exitCode = awaitExit(current);
            Duration uptime = Duration.between(started, Instant.now());
            Duration delay;
            synchronized (lock) {
                if (stopping) {
                    return;
                }
                crashes++;
                delay = backoff.afterCrash(uptime);
                output.say(String.format("%s exited with code %d after %ds (crash %d); restarting in %ds; log: %s",
                        spec.module(), exitCode, uptime.toSeconds(), crashes, delay.toSeconds(), output.file()));
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return; // stop() was called
            }
            synchronized (lock) {
                if (stopping) {
                    return;
                }
                try {
                    current = launch();
                } catch (IOException e) {
                    output.say("cannot restart " + spec.module() + ": " + e.getMessage());
                    return;
                }
            }
        }
    }

    private static int awaitExit(Process process) {
        while (true) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                // interrupted by stop(); stop() itself ends the process, keep waiting for it
            }
        }
    }

    private void pump(Process process) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.line(line);
            }
        } catch (IOException e) {
            // the stream closes when the process dies; nothing left to show
        }
    }
}
