package dev.procurator.worker.vmm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.procurator.common.process.Executables;
import dev.procurator.common.process.ToolMissingException;
import dev.procurator.worker.cgroup.Cgroups;

/**
 * Starts VMM processes so that they outlive the agent (killing the agent never kills VMs): in a session of their
 * own ({@code setsid}), output to a log file in the replica's directory (no pipe to the agent that could break), and
 * inside their cgroup from their first instruction: a shell writes its own pid into the group's
 * {@code cgroup.procs} files, then execs the VMM.
 */
public final class VmmProcesses {

    private VmmProcesses() {
    }

    /** Starts {@code argv} detached; its log is {@code <dir>/vmm.log}. */
    public static Process start(List<String> argv, Path dir, Cgroups.Group group) {
        if (Executables.find(argv.get(0)).isEmpty()) {
            throw new ToolMissingException(argv.get(0), null);
        }
        List<String> command = new ArrayList<>(List.of("setsid", "sh", "-c",
                "for f in $PROCURATOR_CGROUP_PROCS; do echo $$ > \"$f\" || exit 97; done; exec \"$@\"", "vmm"));
        command.addAll(argv);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("vmm.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("PROCURATOR_CGROUP_PROCS",
                String.join(" ", group.procsFiles().stream().map(Path::toString).toList()));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new VmmException("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** Removes what an earlier VMM of this replica left (its sockets, its pid file) before a new one starts. */
    public static void clean(Path... leftovers) {
        try {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        } catch (IOException e) {
            throw new VmmException("cannot prepare " + leftovers[0].getParent() + ": " + e.getMessage(), e);
        }
    }

    /** The end of a replica's VMM log, for error messages. */
    public static String logTail(Path dir) {
        try {
            String text = Files.readString(dir.resolve("vmm.log"), StandardCharsets.UTF_8).strip();
            return text.length() > 800 ? "..." + text.substring(text.length() - 800) : text;
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether {@code pid} is alive and is a VMM of {@code dir} (its command line names the directory). */
    public static boolean isVmmOf(long pid, Path dir) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').contains(dir.toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends SIGTERM, then SIGKILL after {@code grace}; returns when the process is gone. */
    public static void terminate(long pid, Duration grace) {
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroy();
            try {
                process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception notYet) {
                process.destroyForcibly();
                try {
                    process.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // the kernel reaps it; nothing more to do
                }
            }
        });
    }

    /** Waits until {@code pid} has exited, at most {@code limit}; true when it has. */
    public static boolean awaitExit(long pid, Duration limit) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return true;
        }
        try {
            handle.get().onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !handle.get().isAlive();
        }
    }

    /** Polls until {@code file} exists. */
    public static boolean awaitFile(Path file, Duration limit, Process owner) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                return true;
            }
            if (owner != null && !owner.isAlive()) {
                return Files.exists(file);
            }
            Thread.sleep(20);
        }
        return false;
    }
}
