package dev.procurator.cache.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** NAR files under {@code <data dir>/nar/<cache>/}, written through a temp file in the same file system and a rename. */
public class FileSystemBlobStore implements BlobStore {

    private final Path root;
    private final Path temp;
    private final boolean fsync;

    public FileSystemBlobStore(Path dataDir, boolean fsync) throws IOException {
        this.fsync = fsync;
        this.root = Files.createDirectories(dataDir.resolve("nar"));
        this.temp = Files.createDirectories(dataDir.resolve("tmp"));
        // Anything left here was an upload cut off by a crash: never visible, safe to drop.
        try (var leftovers = Files.list(temp)) {
            for (Path p : (Iterable<Path>) leftovers::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public TempFile newTempFile() throws IOException {
        return TempFile.createIn(temp);
    }

    /**
     * Renames the file into place: atomic, so readers see all of it or nothing, and it survives a process kill (the
     * bytes are in the page cache). With fsync, the bytes are on disk before the file has its name, and the name is on
     * disk before this returns (a rename is durable once its directory is), so it survives a power loss too.
     */
    @Override
    public void put(String key, Path completeFile) throws IOException {
        Path target = resolve(key);
        if (fsync) {
            force(completeFile);
        }
        try {
            moveAtomically(completeFile, target);
        } catch (NoSuchFileException e) {
            // The cache's first NAR: its directory is made once here, not checked on every upload.
            Files.createDirectories(target.getParent());
            if (fsync) {
                force(target.getParent().getParent());
            }
            moveAtomically(completeFile, target);
        }
        if (fsync) {
            force(target.getParent());
        }
    }

    /** fsync(2) of a file or a directory. */
    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public InputStream open(String key, long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(resolve(key), StandardOpenOption.READ);
        channel.position(offset);
        return new BoundedInputStream(Channels.newInputStream(channel), length);
    }

    @Override
    public Path localFile(String key) {
        return resolve(key);
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || key.contains("..")) {
            throw new IllegalArgumentException("blob key escapes the store: " + key);
        }
        return path;
    }
}
