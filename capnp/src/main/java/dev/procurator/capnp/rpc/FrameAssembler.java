package dev.procurator.capnp.rpc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * Cuts frames out of bytes arriving in arbitrary pieces (non-blocking reads). Applies the same limits
 * as {@link FrameCodec#read} before buffering a frame's body, so a hostile header cannot make it grow.
 */
final class FrameAssembler {
    private final RpcOptions limits;
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    FrameAssembler(RpcOptions limits) {
        this.limits = limits;
    }

    /** Where the next read should put its bytes (always has room). */
    ByteBuffer readTarget() {
        if (!buffer.hasRemaining()) {
            grow(buffer.capacity() * 2);
        }
        return buffer;
    }

    private void grow(int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
    }

    /** Hands every complete frame received so far to {@code sink}, in order. */
    void drain(Consumer<ByteBuffer[]> sink) throws FrameCodec.FrameException {
        long incompleteFrameBytes = 0;
        buffer.flip();
        try {
            while (buffer.remaining() >= 4) {
                int start = buffer.position();
                long count = (buffer.getInt(start) & 0xffffffffL) + 1;
                if (count > limits.maxSegments()) {
                    throw new FrameCodec.FrameException("frame declares " + count + " segments; limit "
                            + limits.maxSegments());
                }
                int header = 4 + 4 * (int) count + (count % 2 == 0 ? 4 : 0);
                if (buffer.remaining() < header) {
                    break;
                }
                long words = 0;
                for (int i = 0; i < count; i++) {
                    words += buffer.getInt(start + 4 + 4 * i) & 0xffffffffL;
                }
                if (words > limits.maxFrameWords()) {
                    throw new FrameCodec.FrameException("frame of " + words + " words; limit " + limits.maxFrameWords());
                }
                if ((buffer.getInt(start + 4) & 0xffffffffL) == 0) {
                    throw new FrameCodec.FrameException("empty first segment");
                }
                long frameBytes = header + words * 8;
                if (buffer.remaining() < frameBytes) {
                    incompleteFrameBytes = frameBytes; // validated above, so safe to make room for
                    break;
                }
                byte[] body = new byte[(int) (words * 8)];
                buffer.get(start + header, body);
                ByteBuffer all = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer[] segments = new ByteBuffer[(int) count];
                int offset = 0;
                for (int i = 0; i < count; i++) {
                    int bytes = (int) ((buffer.getInt(start + 4 + 4 * i) & 0xffffffffL) * 8);
                    segments[i] = all.slice(offset, bytes).order(ByteOrder.LITTLE_ENDIAN);
                    offset += bytes;
                }
                buffer.position(start + (int) frameBytes);
                sink.accept(segments);
            }
        } finally {
            buffer.compact();
        }
        // make room for a frame larger than the buffer
        if (incompleteFrameBytes > buffer.capacity()) {
            grow((int) incompleteFrameBytes);
        }
    }
}
