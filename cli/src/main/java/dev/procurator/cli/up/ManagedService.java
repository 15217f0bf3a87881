package dev.procurator.cli.up;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * One service's process, kept running: its output goes to the terminal prefixed with its name, a crash is reported
 * and followed by a restart after a backoff delay, and {@link #stop} ends it and its descendants.
 */
final class ManagedService {

    private static final int TAIL_LINES = 200;

    private final ServiceSpec spec;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workDir;
    private final Output output;
    private final Backoff backoff;
    private final LongConsumer onLaunch;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Object lock = new Object();

    private Process process;
    private boolean stopping;
    private int crashes;
    private Thread supervisor;

    ManagedService(ServiceSpec spec, List<String> command, Map<String, String> environment, Path workDir,
                   Output output, Backoff backoff, LongConsumer onLaunch) {
        this.spec = spec;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.workDir = workDir;
        this.output = output;
        this.backoff = backoff;
        this.onLaunch = onLaunch;
    }

    ServiceSpec spec() {
        return spec;
    }

    /** Starts the process and a thread that restarts it whenever it exits unasked; {@code onLaunch} sees every pid. */
    void start() throws IOException {
        Process first = launch();
        supervisor = Thread.ofVirtual().name("supervise-" + spec.module()).start(() -> supervise(first));
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

    /** The last lines the service printed, oldest first. */
    List<String> tail(int lines) {
        synchronized (tail) {
            return tail.stream().skip(Math.max(0, tail.size() - lines)).toList();
        }
    }

    /** Stops the service for good; returns false if it had to be killed. */
    boolean stop(Duration grace) {
        Process current;
        synchronized (lock) {
            stopping = true;
            current = process;
        }
        if (supervisor != null) {
            supervisor.interrupt(); // cut a pending restart delay short
        }
        return current == null || ProcessTree.stop(current.toHandle(), grace);
    }

    private Process launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ProcessTree.inOwnSession(command))
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process started = builder.start();
        started.getOutputStream().close();
        synchronized (lock) {
            process = started;
        }
        onLaunch.accept(started.pid());
        Thread.ofVirtual().name("output-" + spec.module()).start(() -> pump(started));
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
                output.say(String.format("%s exited with code %d after %ds (crash %d); restarting in %ds",
                        spec.module(), exitCode, uptime.toSeconds(), crashes, delay.toSeconds()));
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
                remember(line);
                output.line(spec.module(), line);
            }
        } catch (IOException e) {
            // the stream closes when the process dies; nothing left to show
        }
    }

    private void remember(String line) {
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
    }
}
