package dev.procurator.cache.path;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import org.tukaani.xz.XZIOException;
import org.tukaani.xz.XZInputStream;

import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.nix.NixHash;
import dev.procurator.common.error.ApiException;

/**
 * Receives an uploaded NAR file chunk by chunk (push-style, on the event loop), writing it to its sink while measuring
 * it in the same pass: sha256 and size of the bytes as received (FileHash/FileSize), and of the decompressed NAR
 * (NarHash/NarSize). Nothing is buffered beyond fixed-size buffers, so a multi-GiB NAR costs no heap. A big upload is
 * hashed in the background ({@link BackgroundHashing}) while its next bytes arrive; the caller pauses reading while
 * that falls behind. Not thread-safe: one chunk after another, then {@link #hashed()}, then {@link #finish}.
 */
public final class NarReceiver implements AutoCloseable {

    /** The NAR magic: the string "nix-archive-1" in NAR framing (u64 length 13, bytes, padding to 8). */
    private static final byte[] NAR_MAGIC;

    static {
        byte[] magic = new byte[24];
        magic[0] = 13;
        System.arraycopy("nix-archive-1".getBytes(StandardCharsets.US_ASCII), 0, magic, 8, 13);
        NAR_MAGIC = magic;
    }

    /** ZSTD_DStreamOutSize: a whole zstd block (128 KiB) fits, so one call can flush it. */
    private static final int ZSTD_OUT = 128 * 1024;

    private static final int XZ_BUFFER = 64 * 1024;

    /** From this announced size on, the bytes are hashed in the background: below it the hand-off costs more. */
    public static final long HASHING_THREAD_FROM = 1024 * 1024;

    public record Measured(String fileHash, long fileSize, String narHash, long narSize) {
    }

    private final Compression compression;
    private final WritableByteChannel sink;
    private final MessageDigest fileDigest = NixHash.sha256();
    /** An uncompressed file is its NAR: then one digest serves as FileHash and NarHash. */
    private final MessageDigest narDigest;
    private final byte[] head = new byte[NAR_MAGIC.length];
    /** Where the digests are updated if not on the receiving thread; else null. */
    private final BackgroundHashing hashing;
    /** Set once the input is complete: what is measured after it (xz's NAR) is hashed in place. */
    private boolean inputEnded;
    private long fileSize;
    private long narSize;

    /**
     * zstd output, drained completely within each call, so one buffer per thread serves every upload (a buffer per
     * upload costs more to allocate than a small NAR takes to decompress). Heap, so the NAR digest reads it in place.
     */
    private static final ThreadLocal<ByteBuffer> ZSTD_OUTPUT = ThreadLocal.withInitial(() -> ByteBuffer.allocate(ZSTD_OUT));

    /** zstd only: the native context, reused for every chunk; a test's own small output buffer, else null. */
    private final ZstdDecompressCtx zstd;
    private final ByteBuffer zstdOut;
    /** zstd only: whether the last input ended inside a frame (a complete file ends on a frame boundary). */
    private boolean midFrame;

    /**
     * @param sink          where the received bytes go (the upload's temp file); each chunk is written fully
     * @param announcedSize the upload's Content-Length: a big upload is hashed in the background
     * @param executor      where background hashing runs
     */
    public NarReceiver(Compression compression, WritableByteChannel sink, long announcedSize, Executor executor) {
        this(compression, sink, ZSTD_OUT, announcedSize >= HASHING_THREAD_FROM ? executor : null);
    }

    /**
     * With a smaller zstd output buffer, tests make zstd hold back decoded bytes.
     *
     * @param hashingExecutor where to hash in the background, or null to hash on the receiving thread
     */
    NarReceiver(Compression compression, WritableByteChannel sink, int zstdOutSize, Executor hashingExecutor) {
        this.compression = compression;
        this.hashing = hashingExecutor == null ? null : new BackgroundHashing(hashingExecutor);
        this.sink = sink;
        this.narDigest = compression == Compression.NONE ? fileDigest : NixHash.sha256();
        boolean isZstd = compression == Compression.ZSTD;
        this.zstd = isZstd ? new ZstdDecompressCtx() : null;
        this.zstdOut = isZstd && zstdOutSize != ZSTD_OUT ? ByteBuffer.allocate(zstdOutSize) : null;
    }

    /**
     * Consumes the next chunk of the uploaded file: writes it to the sink, hashes it, and for zstd and none measures
     * the decompressed NAR as it goes. Throws ApiException corrupt_nar as soon as the data cannot be valid. The
     * buffer's position ends at its limit.
     */
    public void accept(ByteBuffer chunk) throws IOException {
        if (!chunk.hasRemaining()) {
            return; // an empty input would make zstd report "mid-frame" at a frame boundary
        }
        // Each consumer reads the same bytes in place: rewind rather than copy or duplicate.
        int start = chunk.position();
        fileSize += chunk.remaining();
        while (chunk.hasRemaining()) {
            sink.write(chunk);
        }
        chunk.position(start);
        if (compression == Compression.NONE) {
            measureNar(chunk); // the NAR's digest is fileDigest, updated next
        }
        hash(fileDigest, chunk);
        if (compression == Compression.ZSTD) {
            chunk.position(start);
            inflate(chunk);
        }
    }

    /** Decompresses all of {@code src}, measuring the output. */
    private void inflate(ByteBuffer src) {
        ByteBuffer zstdOut = this.zstdOut != null ? this.zstdOut : ZSTD_OUTPUT.get();
        try {
            boolean outFull;
            do {
                // Direct and heap sources both go to native code without a copy. Returns true exactly when a frame
                // has ended and been flushed; the next call then starts a new frame (as ZstdInputStream would).
                midFrame = !zstd.decompressByteBufferStream(zstdOut, src);
                outFull = !zstdOut.hasRemaining();
                zstdOut.flip();
                measureNar(zstdOut);
                zstdOut.clear();
                // A full output buffer may leave decoded bytes inside zstd: call again to flush them (zstd's contract;
                // at a frame's end it even holds back the last input byte until they are out).
            } while (src.hasRemaining() || (outFull && midFrame));
        } catch (ZstdException e) {
            throw corrupt(e.getMessage()); // e.g. "Unknown frame descriptor", "Data corruption detected"
        }
    }

    /** Counts, hashes (unless NONE: the file's digest is the NAR's) and keeps the head of decompressed bytes. */
    private void measureNar(ByteBuffer nar) {
        if (narSize < head.length) {
            int n = (int) Math.min(nar.remaining(), head.length - narSize);
            nar.get(nar.position(), head, (int) narSize, n);
        }
        narSize += nar.remaining();
        if (narDigest != fileDigest) {
            hash(narDigest, nar);
        }
    }

    private void hash(MessageDigest digest, ByteBuffer bytes) {
        if (hashing != null && !inputEnded) {
            hashing.update(digest, bytes);
        } else {
            digest.update(bytes);
        }
    }

    /** Whether background hashing is so far behind that the caller should stop reading for now. */
    public boolean hashingBehind() {
        return hashing != null && hashing.behind();
    }

    /** Runs {@code resume} once background hashing has caught up (at once if it has, maybe on another thread). */
    public void whenHashingCaughtUp(Runnable resume) {
        if (hashing == null) {
            resume.run();
        } else {
            hashing.whenCaughtUp(resume);
        }
    }

    /** After the last chunk: completes once every byte received is hashed, so that {@link #finish} need not wait. */
    public CompletableFuture<Void> hashed() {
        inputEnded = true;
        return hashing == null ? CompletableFuture.completedFuture(null) : hashing.finish();
    }

    /**
     * Whether finish() does heavy work (xz: decompresses the whole file, which Java does slowly), so that the caller
     * runs it off the event loop.
     */
    public boolean finishIsSlow() {
        return compression == Compression.XZ;
    }

    /**
     * After the last chunk: the measurements (waiting for {@link #hashed()} if it has not completed). For xz the NAR
     * is measured here by decompressing {@code written} (the sink's file, complete and flushed). For zstd, a frame that
     * has not ended is corrupt_nar (the compressed data stops mid-frame). Checks the NAR magic.
     */
    public Measured finish(Path written) throws IOException {
        hashed().join();
        if (compression == Compression.XZ) {
            inflateXz(written);
        } else if (midFrame) {
            throw corrupt("the data ends in the middle of a frame");
        }
        if (narSize < head.length || !Arrays.equals(head, NAR_MAGIC)) {
            throw ApiException.badRequest("corrupt_nar", "The decompressed file is not a NAR (no nix-archive-1 header).");
        }
        String narHash = NixHash.format(narDigest.digest());
        String fileHash = narDigest == fileDigest ? narHash : NixHash.format(fileDigest.digest());
        return new Measured(fileHash, fileSize, narHash, narSize);
    }

    private void inflateXz(Path written) throws IOException {
        byte[] buffer = new byte[XZ_BUFFER];
        ByteBuffer view = ByteBuffer.wrap(buffer);
        // XZInputStream reads its headers in small pieces: buffer the file under it.
        try (InputStream file = Files.newInputStream(written);
                InputStream xz = new XZInputStream(new BufferedInputStream(file, XZ_BUFFER))) {
            int n;
            while ((n = xz.read(buffer)) != -1) {
                view.clear().limit(n);
                measureNar(view);
            }
        } catch (XZIOException e) {
            throw corrupt(e.getMessage()); // not xz, corrupt, or unsupported options
        } catch (EOFException e) {
            throw corrupt("the data ends in the middle of a stream");
        }
    }

    private ApiException corrupt(String why) {
        return ApiException.badRequest("corrupt_nar",
                "The NAR file is not valid " + compression.narinfoName() + " data: " + why);
    }

    /** Frees the native zstd context and stops background hashing; idempotent, safe after errors. */
    @Override
    public void close() {
        if (zstd != null) {
            zstd.close(); // itself idempotent
        }
        if (hashing != null) {
            hashing.close();
        }
    }
}
