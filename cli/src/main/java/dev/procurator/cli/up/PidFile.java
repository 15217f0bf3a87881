package dev.procurator.cli.up;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code <data dir>/up.pids}: the services' process ids while {@code up} runs. The services run in sessions of their
 * own, so if procurator itself is killed (SIGKILL, OOM) they live on; the next {@code up} on the same data directory
 * finds them here and stops them instead of failing on busy ports.
 */
final class PidFile {

    static final String FILE_NAME = "up.pids";

    private final Path file;
    private final Map<String, Long> pids = new TreeMap<>();

    PidFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    synchronized void started(String module, long pid) {
        pids.put(module, pid);
        write();
    }

    /** After a clean stop. */
    synchronized void delete() {
        pids.clear();
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale file only lists processes that are gone; the next start checks each one
        }
    }

    /**
     * Stops the services a previous {@code up} on this data directory left running, recognised by their pid and
     * their command line naming this data directory (a recycled pid belongs to someone else and is left alone).
     *
     * @return the modules that were stopped
     */
    List<String> stopLeftovers(Path dataDir, Duration grace) throws IOException {
        List<String> stopped = new ArrayList<>();
        if (!Files.exists(file)) {
            return stopped;
        }
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length != 2 || !fields[1].matches("\\d+")) {
                continue;
            }
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(fields[1]));
            if (process.isPresent() && process.get().isAlive() && process.get().info().commandLine()
                    .map(commandLine -> commandLine.contains(dataDir.toString())).orElse(false)) {
                ProcessTree.stop(process.get(), grace);
                stopped.add(fields[0]);
            }
        }
        Files.deleteIfExists(file);
        return stopped;
    }

    private void write() {
        StringBuilder text = new StringBuilder();
        pids.forEach((module, pid) -> text.append(module).append(' ').append(pid).append('\n'));
        try {
            Path temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
            Files.writeString(temp, text);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }
}
