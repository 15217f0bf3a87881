package dev.procurator.cache.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where NAR files live, by key ({@code <cache>/<file name>}). Content-addressed: a key's bytes never change, so a
 * put of an existing key may simply replace it.
 */
public interface BlobStore {

    /** A temp file to stream an upload into, on the same file system as the store when that matters. */
    TempFile newTempFile() throws IOException;

    /** A new, empty file, open for writing: its owner closes the channel and moves or deletes the file. */
    record TempFile(Path path, FileChannel channel) {

        /**
         * Creates one in {@code dir} with a single open(2): no secure random name and no reopening, as
         * Files.createTempFile would cost every upload. CREATE_NEW keeps names unique.
         */
        static TempFile createIn(Path dir) throws IOException {
            while (true) {
                Path path = dir.resolve("upload-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                        + ".part");
                try {
                    return new TempFile(path, FileChannel.open(path, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE));
                } catch (FileAlreadyExistsException taken) {
                    // drawn twice: draw again
                }
            }
        }
    }

    /** Moves a complete, verified temp file under {@code key}, atomically: readers see all of it or nothing. */
    void put(String key, Path completeFile) throws IOException;

    /** Bytes {@code [offset, offset+length)} of the blob. */
    InputStream open(String key, long offset, long length) throws IOException;

    /** A local file holding the blob, if the store has one (lets the server use sendfile), else null. */
    Path localFile(String key);

    void delete(String key) throws IOException;
}
