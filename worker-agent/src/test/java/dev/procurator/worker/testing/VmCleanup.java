package dev.procurator.worker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

/**
 * Test teardown: stops every VMM a worker agent's data dir records (an agent never stops its VMs when it exits).
 * Only processes whose command line names the replica's directory are touched: never another test's, never a reused
 * pid. Depends on nothing of the agent itself, so e2e tests use it beside the agent's jar.
 */
public final class VmCleanup {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private VmCleanup() {
    }

    public static void killVms(Path dataDir) {
        Path vms = dataDir.resolve("vms");
        if (!Files.isDirectory(vms)) {
            return;
        }
        try (var dirs = Files.list(vms)) {
            for (Path dir : dirs.toList()) {
                Path record = dir.resolve("replica.json");
                if (!Files.exists(record)) {
                    continue;
                }
                long pid = JSON.readTree(Files.readString(record)).path("pid").asLong();
                if (commandLine(pid).contains(dir.toString())) {
                    ProcessHandle.of(pid).ifPresent(process -> {
                        process.descendants().forEach(ProcessHandle::destroyForcibly);
                        process.destroyForcibly();
                        process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
                    });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
