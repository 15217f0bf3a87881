package dev.procurator.cache.path;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.nix.NixHash;
import dev.procurator.common.error.ApiException;

/**
 * Streams an uploaded NAR file to its sink while measuring it in the same pass: sha256 and size of the bytes as
 * received (FileHash/FileSize), and of the decompressed NAR (NarHash/NarSize). Nothing is buffered in memory beyond
 * one chunk, so a multi-GiB NAR costs no heap.
 */
public final class NarReceiver {

    /** The NAR magic: the string "nix-archive-1" in NAR framing (u64 length 13, bytes, padding to 8). */
    private static final byte[] NAR_MAGIC;

    static {
        byte[] magic = new byte[24];
        magic[0] = 13;
        System.arraycopy("nix-archive-1".getBytes(StandardCharsets.US_ASCII), 0, magic, 8, 13);
        NAR_MAGIC = magic;
    }

    /** Tomcat's socket read buffer is 64 KiB: one chunk per read. */
    private static final int CHUNK = 64 * 1024;

    public record Measured(String fileHash, long fileSize, String narHash, long narSize) {
    }

    private NarReceiver() {
    }

    /** Copies exactly {@code length} bytes from {@code body} to {@code sink}; 400 if they are not a valid NAR file. */
    public static Measured receive(InputStream body, long length, Compression compression, OutputStream sink)
            throws IOException {
        // An uncompressed file is its NAR: one hash serves as FileHash and NarHash.
        Tee tee = new Tee(body, length, sink, compression != Compression.NONE);
        MessageDigest narDigest = NixHash.sha256();
        byte[] buffer = new byte[CHUNK];
        byte[] head = new byte[NAR_MAGIC.length];
        long narSize = 0;
        try {
            InputStream nar = compression.decompress(compression == Compression.XZ
                    ? new BufferedInputStream(tee, CHUNK) : tee);
            int n;
            while ((n = nar.read(buffer)) > 0) {
                if (narSize < head.length) {
                    System.arraycopy(buffer, 0, head, (int) narSize, (int) Math.min(n, head.length - narSize));
                }
                narDigest.update(buffer, 0, n);
                narSize += n;
            }
            tee.drain(buffer);
        } catch (IOException | RuntimeException e) {
            if (tee.endedEarly) {
                throw ApiException.badRequest("truncated_upload",
                        "The upload ended after " + tee.count + " of " + length + " bytes.");
            }
            // Reported at once: the rest of the body is not worth receiving.
            throw ApiException.badRequest("corrupt_nar", "The NAR file is not valid " + compression.narinfoName()
                    + " data: " + e.getMessage());
        }
        if (narSize < head.length || !Arrays.equals(head, NAR_MAGIC)) {
            throw ApiException.badRequest("corrupt_nar", "The decompressed file is not a NAR (no nix-archive-1 header).");
        }
        String narHash = NixHash.format(narDigest.digest());
        return new Measured(tee.digest == null ? narHash : NixHash.format(tee.digest.digest()), tee.count, narHash,
                narSize);
    }

    /** Reads at most {@code limit} bytes, copying (and hashing, if asked) each as it passes. */
    private static final class Tee extends InputStream {
        private final InputStream in;
        private final long limit;
        private final OutputStream sink;
        private final MessageDigest digest;
        private long count;
        private boolean endedEarly;

        Tee(InputStream in, long limit, OutputStream sink, boolean hash) {
            this.in = in;
            this.limit = limit;
            this.sink = sink;
            this.digest = hash ? NixHash.sha256() : null;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            if (count >= limit) {
                return -1;
            }
            int n;
            try {
                n = in.read(buffer, off, (int) Math.min(len, limit - count));
            } catch (IOException e) {
                endedEarly = true; // the client went away
                throw e;
            }
            if (n < 0) {
                endedEarly = true;
                throw new EOFException("the body ended early");
            }
            sink.write(buffer, off, n);
            if (digest != null) {
                digest.update(buffer, off, n);
            }
            count += n;
            return n;
        }

        /** Bytes after the end of the compressed stream are still part of the file (and its hash). */
        void drain(byte[] buffer) throws IOException {
            while (read(buffer, 0, buffer.length) > 0) {
                // counted and hashed by read
            }
        }
    }
}
