package dev.procurator.capnp.rpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The standard unpacked stream framing: a segment table (count-1, then each size in words, padded to
 * a word) followed by the segments. Sizes are checked against {@link RpcOptions} before anything is
 * allocated, so a hostile header cannot make the reader allocate gigabytes.
 */
final class FrameCodec {
    /** A frame that breaks the framing rules or the configured limits. */
    static final class FrameException extends IOException {
        FrameException(String message) {
            super(message);
        }
    }

    private FrameCodec() {
    }

    /** Reads one frame; null on a clean end of stream before its first byte. */
    static ByteBuffer[] read(InputStream in, RpcOptions limits) throws IOException {
        byte[] first = new byte[4];
        int got = in.readNBytes(first, 0, 4);
        if (got == 0) {
            return null;
        }
        if (got < 4) {
            throw new EOFException("connection closed inside a frame header");
        }
        long segmentCount = (le32(first, 0) & 0xffffffffL) + 1;
        if (segmentCount > limits.maxSegments()) {
            throw new FrameException("frame declares " + segmentCount + " segments; limit " + limits.maxSegments());
        }
        int count = (int) segmentCount;
        int tableBytes = 4 * count + (count % 2 == 0 ? 4 : 0);
        byte[] table = readExactly(in, tableBytes);
        long[] sizes = new long[count];
        long totalWords = 0;
        for (int i = 0; i < count; i++) {
            sizes[i] = le32(table, 4 * i) & 0xffffffffL;
            totalWords += sizes[i];
        }
        if (totalWords > limits.maxFrameWords()) {
            throw new FrameException("frame of " + totalWords + " words; limit " + limits.maxFrameWords());
        }
        if (sizes[0] == 0) {
            throw new FrameException("empty first segment");
        }
        byte[] body = readExactly(in, (int) (totalWords * 8));
        ByteBuffer all = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer[] segments = new ByteBuffer[count];
        int offset = 0;
        for (int i = 0; i < count; i++) {
            int bytes = (int) (sizes[i] * 8);
            segments[i] = all.slice(offset, bytes).order(ByteOrder.LITTLE_ENDIAN);
            offset += bytes;
        }
        return segments;
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("connection closed inside a frame");
        }
        return bytes;
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    /** Serializes segments into one array, so the frame leaves in a single write. */
    static byte[] encode(ByteBuffer[] segments) {
        int count = segments.length;
        int tableBytes = 4 * (count + 1) + (count % 2 == 0 ? 4 : 0);
        int bodyBytes = 0;
        for (ByteBuffer segment : segments) {
            bodyBytes += segment.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(tableBytes + bodyBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(count - 1);
        for (ByteBuffer segment : segments) {
            out.putInt(segment.remaining() / 8);
        }
        out.position(tableBytes);
        for (ByteBuffer segment : segments) {
            out.put(segment.duplicate());
        }
        return out.array();
    }
}
