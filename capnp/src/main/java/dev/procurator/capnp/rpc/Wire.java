package dev.procurator.capnp.rpc;

import java.io.IOException;

/**
 * Moves frames between a connection and its socket. {@link NioWire} (plain TCP and unix sockets)
 * reads on the shared {@link EventLoop}; {@link StreamWire} (TLS, tests) reads on a virtual thread.
 */
interface Wire {
    /** Starts delivering incoming frames to the connection. */
    void start(RpcConnection connection);

    /** Queues one encoded frame; called with the connection's lock held, in message order. */
    void write(byte[] frame) throws IOException;

    /** Pushes queued frames out now (before closing, or when the writer is not the reading thread). */
    void flush() throws IOException;

    void close();

    String describe();
}
