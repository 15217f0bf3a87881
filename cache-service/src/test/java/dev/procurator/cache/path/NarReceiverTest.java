package dev.procurator.cache.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;

import com.github.luben.zstd.Zstd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.nix.NixHash;
import dev.procurator.cache.support.TestNar;
import dev.procurator.common.error.ApiException;

/** The push-style receiver measures exactly what a one-shot hash of the file and of its NAR would. */
class NarReceiverTest {

    @TempDir
    Path dir;

    /** zstd's output buffer in the receivers under test. */
    int zstdOutSize = 128 * 1024;
    /** Where the receivers under test hash in the background; null: on the receiving thread. */
    Executor hashingExecutor;

    static Stream<Arguments> smallNarInChunks() {
        return Stream.of(Compression.values()).flatMap(c -> Stream.of(1, 7, 64 * 1024, Integer.MAX_VALUE)
                .flatMap(size -> Stream.of(Arguments.of(c, size, false), Arguments.of(c, size, true))));
    }

    @ParameterizedTest(name = "{0}, chunks of {1}, direct={2}")
    @MethodSource
    void smallNarInChunks(Compression compression, int chunkSize, boolean direct) throws IOException {
        TestNar nar = TestNar.of(TestNar.randomHash(), "hello", "Hello, world!\n".repeat(20), compression);
        assertMeasured(nar.nar(), nar.file(), compression, n -> chunkSize, direct);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void multiMegabyteNarInRandomChunks(Compression compression) throws IOException {
        // Several zstd blocks (128 KiB each) and output-buffer refills; chunks that split them anywhere.
        byte[] nar = narOf(randomText(3 * 1024 * 1024 + 12345, 1));
        Random random = new Random(2);
        assertMeasured(nar, compress(nar, compression), compression, n -> 1 + random.nextInt(100_000), false);
        assertMeasured(nar, compress(nar, compression), compression, n -> 1 + random.nextInt(100_000), true);
    }

    @Test
    void concatenatedZstdFramesAreOneFile() throws IOException {
        byte[] nar = narOf(randomText(300_000, 3));
        byte[] first = Zstd.compress(Arrays.copyOfRange(nar, 0, 100_003));
        byte[] second = Zstd.compress(Arrays.copyOfRange(nar, 100_003, nar.length));
        assertMeasured(nar, concat(first, second), Compression.ZSTD, n -> 7, false);
        assertMeasured(nar, concat(first, second), Compression.ZSTD, n -> 65536, true);
    }

    @Test
    void outputZstdHoldsBackIsDrainedToo() throws IOException {
        // A small output buffer makes zstd keep decoded bytes inside across calls and chunks (a 128 KiB one rarely
        // does: zstd's blocks are 128 KiB).
        zstdOutSize = 1000;
        byte[] nar = narOf(randomText(200_000, 6));
        assertMeasured(nar, Zstd.compress(nar), Compression.ZSTD, n -> 1, true);
        assertMeasured(nar, Zstd.compress(nar), Compression.ZSTD, n -> Integer.MAX_VALUE, false);
    }

    @Test
    void garbageIsNotZstd() {
        byte[] garbage = "this is not zstd at all, just some text".getBytes();
        // zstd knows after the first 4 bytes, so accept() already refuses
        assertThatThrownBy(() -> receive(garbage, Compression.ZSTD, n -> 64 * 1024, false))
                .satisfies(e -> assertCorrupt(e, "The NAR file is not valid zstd data: Unknown frame descriptor"));
        assertThatThrownBy(() -> receive(garbage, Compression.ZSTD, n -> 1, true))
                .satisfies(e -> assertCorrupt(e, "The NAR file is not valid zstd data: "));
    }

    @Test
    void garbageAfterAZstdFrameIsCorrupt() {
        byte[] file = concat(TestNar.of(TestNar.randomHash(), "x", "x", Compression.ZSTD).file(), "junk".getBytes());
        assertThatThrownBy(() -> receive(file, Compression.ZSTD, n -> 3, false))
                .satisfies(e -> assertCorrupt(e, "The NAR file is not valid zstd data: Unknown frame descriptor"));
    }

    @Test
    void zstdOfSomethingElseIsNotANar() throws IOException {
        byte[] file = Zstd.compress("just text, long enough to hold a header".getBytes());
        try (NarReceiver receiver = receiveChunks(file, Compression.ZSTD, n -> 5, true)) {
            assertThatThrownBy(() -> receiver.finish(dir.resolve("upload")))
                    .satisfies(e -> assertCorrupt(e, "The decompressed file is not a NAR (no nix-archive-1 header)."));
        }
    }

    @Test
    void tooShortOrUncompressedNonNarIsNotANar() throws IOException {
        for (byte[] file : new byte[][] {new byte[0], "nix-archive-1".getBytes(), "x".repeat(100).getBytes()}) {
            try (NarReceiver receiver = receiveChunks(file, Compression.NONE, n -> 64, false)) {
                assertThatThrownBy(() -> receiver.finish(dir.resolve("upload")))
                        .satisfies(e -> assertCorrupt(e, "The decompressed file is not a NAR"));
            }
        }
    }

    @Test
    void zstdCutInTheMiddleIsCorrupt() throws IOException {
        byte[] nar = narOf(randomText(500_000, 4));
        byte[] file = Zstd.compress(nar);
        for (int cut : new int[] {3, 10, file.length / 2, file.length - 1}) {
            try (NarReceiver receiver = receiveChunks(Arrays.copyOf(file, cut), Compression.ZSTD, n -> 4096, true)) {
                assertThatThrownBy(() -> receiver.finish(dir.resolve("upload"))).as("cut at %d", cut)
                        .satisfies(e -> assertCorrupt(e,
                                "The NAR file is not valid zstd data: the data ends in the middle of a frame"));
            }
        }
    }

    @Test
    void xzIsCheckedInFinish() throws IOException {
        byte[] garbage = "this is not xz either, but a long enough text".getBytes();
        byte[] truncated = Arrays.copyOf(compress(narOf(randomText(100_000, 5)), Compression.XZ), 5000);
        for (byte[] file : new byte[][] {garbage, truncated}) {
            try (NarReceiver receiver = receiveChunks(file, Compression.XZ, n -> 1000, false)) {
                assertThat(receiver.finishIsSlow()).isTrue();
                assertThatThrownBy(() -> receiver.finish(dir.resolve("upload")))
                        .satisfies(e -> assertCorrupt(e, "The NAR file is not valid xz data: "));
            }
        }
    }

    @Test
    void onlyXzFinishesSlowly() {
        for (Compression c : Compression.values()) {
            try (NarReceiver receiver = receiver(c, NullSink.INSTANCE)) {
                assertThat(receiver.finishIsSlow()).as(c.name()).isEqualTo(c == Compression.XZ);
            }
        }
    }

    @Test
    void closeIsIdempotentAndSafeAfterErrors() throws IOException {
        NarReceiver receiver = receiver(Compression.ZSTD, NullSink.INSTANCE);
        assertThatThrownBy(() -> receiver.accept(ByteBuffer.wrap("garbage!".getBytes())))
                .isInstanceOf(ApiException.class);
        receiver.close();
        receiver.close();
        receiver(Compression.NONE, NullSink.INSTANCE).close();
    }

    // --- helpers

    private NarReceiver receiver(Compression compression, WritableByteChannel sink) {
        return new NarReceiver(compression, sink, zstdOutSize, hashingExecutor);
    }

    private void assertMeasured(byte[] nar, byte[] file, Compression compression, IntUnaryOperator chunkSizes,
            boolean direct) throws IOException {
        NarReceiver.Measured measured = receive(file, compression, chunkSizes, direct);
        assertThat(measured).isEqualTo(new NarReceiver.Measured(sha256(file), file.length, sha256(nar), nar.length));
        assertThat(Files.readAllBytes(dir.resolve("upload"))).isEqualTo(file);
    }

    private NarReceiver.Measured receive(byte[] file, Compression compression, IntUnaryOperator chunkSizes,
            boolean direct) throws IOException {
        try (NarReceiver receiver = receiveChunks(file, compression, chunkSizes, direct)) {
            return receiver.finish(dir.resolve("upload"));
        }
    }

    /**
     * Feeds {@code file} to a new receiver writing to dir/upload, in chunks of the given sizes. Chunks do not start at
     * position 0, like slices of Netty's pooled buffers; direct ones reuse one buffer, as Netty does.
     */
    private NarReceiver receiveChunks(byte[] file, Compression compression, IntUnaryOperator chunkSizes,
            boolean direct) throws IOException {
        FileChannel sink = FileChannel.open(dir.resolve("upload"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        NarReceiver receiver = receiver(compression, sink);
        try (sink) {
            ByteBuffer pooled = direct ? ByteBuffer.allocateDirect(Math.min(file.length, 1 << 20) + 16) : null;
            for (int off = 0; off < file.length; ) {
                int n = Math.min(chunkSizes.applyAsInt(off), Math.min(file.length - off, 1 << 20));
                ByteBuffer chunk = direct
                        ? pooled.clear().position(16).put(file, off, n).flip().position(16)
                        : ByteBuffer.wrap(file, off, n);
                receiver.accept(chunk);
                assertThat(chunk.hasRemaining()).as("chunk consumed").isFalse();
                off += n;
            }
        } catch (IOException | RuntimeException e) {
            receiver.close();
            throw e;
        }
        return receiver;
    }

    private static void assertCorrupt(Throwable e, String messageStart) {
        assertThat(e).isInstanceOf(ApiException.class).hasMessageStartingWith(messageStart);
        assertThat(((ApiException) e).code()).isEqualTo("corrupt_nar");
    }

    private static String sha256(byte[] bytes) {
        return NixHash.format(NixHash.sha256().digest(bytes));
    }

    /** A single-file NAR around {@code contents}, as TestNar builds it. */
    private static byte[] narOf(String contents) {
        return TestNar.of(TestNar.randomHash(), "big", contents, Compression.NONE).nar();
    }

    /** Random text that compresses only somewhat, so the zstd file has many blocks too. */
    private static String randomText(int length, long seed) {
        Random random = new Random(seed);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) ('!' + random.nextInt(90));
        }
        return new String(chars);
    }

    private static byte[] compress(byte[] nar, Compression compression) throws IOException {
        return switch (compression) {
            case NONE -> nar;
            case ZSTD -> Zstd.compress(nar);
            case XZ -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options(1))) {
                    xz.write(nar);
                }
                yield out.toByteArray();
            }
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** A sink that swallows everything, for tests that look at no file. */
    private enum NullSink implements WritableByteChannel {
        INSTANCE;

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
