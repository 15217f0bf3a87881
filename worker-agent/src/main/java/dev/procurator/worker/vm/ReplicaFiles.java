package dev.procurator.worker.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The replicas' directories under {@code <data dir>/vms}: one per replica with its {@code replica.json}, VMM sockets,
 * pid file, VMM log and console log. A record is written completely to a temporary file, fsynced, renamed over the
 * old one and the directory fsynced, so a SIGKILL (or a power cut) leaves the old record or the new one, never a
 * torn one.
 */
public final class ReplicaFiles {

    private static final Logger log = LoggerFactory.getLogger(ReplicaFiles.class);
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    static final String RECORD = "replica.json";

    private final Path root;

    public ReplicaFiles(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
    }

    public Path dir(ReplicaKey key) {
        Path dir = root.resolve(key.id());
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Where a replica's files are, without creating them. */
    public Path existingDir(ReplicaKey key) {
        return root.resolve(key.id());
    }

    public void write(ReplicaRecord record) {
        Path dir = dir(record.key());
        Path temp = dir.resolve(RECORD + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(record)));
                out.force(true);
            }
            Files.move(temp, dir.resolve(RECORD), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the record of " + record.key(), e);
        }
    }

    public Optional<ReplicaRecord> read(ReplicaKey key) {
        Path file = existingDir(key).resolve(RECORD);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), ReplicaRecord.class));
        } catch (RuntimeException e) {
            log.warn("Ignoring the unreadable record {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Forgets that a VMM runs (it exited): the record goes, the console log stays. */
    public void clearRecord(ReplicaKey key) {
        try {
            Files.deleteIfExists(existingDir(key).resolve(RECORD));
            fsyncDirectory(existingDir(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the record of " + key, e);
        }
    }

    /** Forgets a replica: its record first (durably), then the rest of its directory. */
    public void delete(ReplicaKey key) {
        Path dir = existingDir(key);
        try {
            Files.deleteIfExists(dir.resolve(RECORD));
            if (Files.isDirectory(dir)) {
                fsyncDirectory(dir);
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
                fsyncDirectory(root);
            }
        } catch (IOException e) {
            log.warn("Cannot remove {}: {}", dir, e.getMessage());
        }
    }

    /** Every replica directory left on disk (by this run or an earlier one). */
    public List<ReplicaKey> all() {
        List<ReplicaKey> keys = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                ReplicaKey key = ReplicaKey.parse(dir.getFileName().toString());
                if (key != null && Files.isDirectory(dir)) {
                    keys.add(key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        keys.sort(null);
        return keys;
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
