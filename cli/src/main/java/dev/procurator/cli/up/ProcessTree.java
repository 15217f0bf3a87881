package dev.procurator.cli.up;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Stops a process and everything it started: SIGTERM to the process, a grace period, then SIGKILL; descendants seen
 * at any point are remembered, because once their parent is gone they are reparented and no longer its descendants.
 */
final class ProcessTree {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration DESCENDANT_GRACE = Duration.ofSeconds(2);

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private ProcessTree() {
    }

    /**
     * Runs {@code command} in a session of its own, so that Ctrl-C in the terminal reaches procurator alone and the
     * services are stopped by {@link #stop} in order, instead of dying on their own first and looking like crashes.
     * ({@code setsid} execs in place here: a child of the JVM is never a process group leader, so the pid stays.)
     */
    static List<String> inOwnSession(List<String> command) {
        if (!Files.isExecutable(SETSID)) {
            return command;
        }
        List<String> detached = new ArrayList<>();
        detached.add(SETSID.toString());
        detached.addAll(command);
        return detached;
    }

    /** @return true if the process exited within the grace period, false if it had to be killed */
    static boolean stop(ProcessHandle process, Duration grace) {
        Set<ProcessHandle> descendants = new LinkedHashSet<>();
        process.descendants().forEach(descendants::add);
        process.destroy();
        boolean graceful = awaitExit(process, grace, descendants);
        if (!graceful) {
            process.descendants().forEach(descendants::add);
            process.destroyForcibly();
            awaitExit(process, Duration.ofSeconds(5), descendants);
        }
        stopAll(descendants);
        return graceful;
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout, Set<ProcessHandle> descendants) {
        Instant deadline = Instant.now().plus(timeout);
        while (process.isAlive()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            process.descendants().forEach(descendants::add);
            sleep(POLL);
        }
        return true;
    }

    private static void stopAll(Set<ProcessHandle> processes) {
        processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plus(DESCENDANT_GRACE);
        while (processes.stream().anyMatch(ProcessHandle::isAlive) && Instant.now().isBefore(deadline)) {
            sleep(POLL);
        }
        processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
