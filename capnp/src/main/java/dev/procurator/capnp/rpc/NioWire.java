package dev.procurator.capnp.rpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * A wire over a non-blocking socket channel (TCP or unix domain) read by the shared {@link EventLoop}.
 * Frames written from the loop thread are gathered and flushed once per loop turn; frames written
 * from other threads go out at once, and whatever the kernel does not take waits for OP_WRITE.
 */
final class NioWire implements Wire {
    private final SocketChannel channel;
    private final EventLoop loop = EventLoop.shared();
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private FrameAssembler assembler;
    private RpcConnection connection;
    private SelectionKey key;
    private boolean waitingForWritable;

    NioWire(SocketChannel channel) throws IOException {
        this.channel = channel;
        if (channel.getLocalAddress() instanceof InetSocketAddress) {
            // small calls must not wait for Nagle's algorithm (40 ms per response otherwise)
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        channel.configureBlocking(false);
    }

    @Override
    public void start(RpcConnection connection) {
        this.connection = connection;
        this.assembler = new FrameAssembler(connection.options());
        loop.execute(() -> {
            try {
                key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
            } catch (IOException e) {
                connection.onDisconnect("cannot register: " + e.getMessage());
            }
        });
    }

    void onReadable() {
        try {
            int n = channel.read(assembler.readTarget());
            if (n < 0) {
                connection.onDisconnect("peer closed the connection");
                return;
            }
            assembler.drain(frame -> {
                if (connection.isOpen()) {
                    connection.onFrame(frame);
                }
            });
        } catch (FrameCodec.FrameException e) {
            connection.onBadFrame(e);
        } catch (IOException e) {
            connection.onDisconnect("connection lost: " + e.getMessage());
        }
    }

    void onWritable() {
        connection.flushWire();
    }

    /** End of a loop turn: send what the handlers queued. */
    void flushFromLoop() {
        connection.flushWire();
    }

    @Override
    public void write(byte[] frame) throws IOException {
        pending.add(ByteBuffer.wrap(frame));
        if (loop.inLoop()) {
            loop.markDirty(this);
        } else {
            flush();
        }
    }

    @Override
    public void flush() throws IOException {
        while (!pending.isEmpty()) {
            ByteBuffer[] batch = pending.toArray(ByteBuffer[]::new);
            channel.write(batch);
            while (!pending.isEmpty() && !pending.peek().hasRemaining()) {
                pending.poll();
            }
            if (!pending.isEmpty()) {
                // the socket buffer is full: continue when the kernel says it can take more
                if (!waitingForWritable) {
                    waitingForWritable = true;
                    loop.execute(() -> {
                        if (key != null && key.isValid()) {
                            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                        }
                    });
                }
                return;
            }
        }
        if (waitingForWritable) {
            waitingForWritable = false;
            loop.execute(() -> {
                if (key != null && key.isValid()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            });
        }
    }

    @Override
    public void close() {
        try {
            channel.close(); // also cancels the key
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public String describe() {
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "closed channel";
        }
    }
}
