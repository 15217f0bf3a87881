package dev.procurator.cache.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where NAR files live, by key ({@code <cache>/<file name>}). Content-addressed: a key's bytes never change, so a
 * put of an existing key may simply replace it.
 */
public interface BlobStore {

    /** A temp file to stream an upload into, on the same file system as the store when that matters. */
    Path newTempFile() throws IOException;

    /** Moves a complete, verified temp file under {@code key}, atomically: readers see all of it or nothing. */
    void put(String key, Path completeFile) throws IOException;

    /** Bytes {@code [offset, offset+length)} of the blob. */
    InputStream open(String key, long offset, long length) throws IOException;

    /** A local file holding the blob, if the store has one (lets the server use sendfile), else null. */
    Path localFile(String key);

    void delete(String key) throws IOException;
}
