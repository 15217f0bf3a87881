package dev.procurator.capnp.rpc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A wire over blocking streams (TLS sockets, in-memory test transports), read by a virtual thread.
 * Replies written by the reading thread are flushed only when it has no more input buffered, so a
 * burst of calls is answered with few writes.
 */
final class StreamWire implements Wire {
    private final Transport transport;
    private final InputStream in;
    private final OutputStream out;
    private RpcConnection connection;
    private volatile Thread reader;
    private boolean unflushed;

    StreamWire(Transport transport) {
        this.transport = transport;
        this.in = new BufferedInputStream(transport.input(), 1 << 16);
        this.out = new BufferedOutputStream(transport.output(), 1 << 16);
    }

    @Override
    public void start(RpcConnection connection) {
        this.connection = connection;
        reader = Thread.ofVirtual().name("capnp-rpc " + describe()).start(this::readLoop);
    }

    /** Runs the read loop on the calling thread until the connection closes (fuzz tests). */
    void runOnCurrentThread(RpcConnection connection) {
        this.connection = connection;
        reader = Thread.currentThread();
        readLoop();
    }

    private void readLoop() {
        try {
            while (connection.isOpen()) {
                if (in.available() == 0) {
                    connection.flushWire();
                }
                ByteBuffer[] frame = FrameCodec.read(in, connection.options());
                if (frame == null) {
                    connection.onDisconnect("peer closed the connection");
                    return;
                }
                connection.onFrame(frame);
            }
        } catch (FrameCodec.FrameException e) {
            connection.onBadFrame(e);
        } catch (IOException e) {
            connection.onDisconnect("connection lost: " + e.getMessage());
        }
    }

    @Override
    public void write(byte[] frame) throws IOException {
        out.write(frame);
        if (Thread.currentThread() == reader && in.available() > 0) {
            unflushed = true;
        } else {
            out.flush();
            unflushed = false;
        }
    }

    @Override
    public void flush() throws IOException {
        if (unflushed) {
            out.flush();
            unflushed = false;
        }
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String describe() {
        return transport.describe();
    }
}
