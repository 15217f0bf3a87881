package dev.procurator.capnp.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** A blocking byte stream to one peer (a TLS socket, or an in-memory stream in tests); see {@link StreamWire}. */
interface Transport extends AutoCloseable {
    InputStream input();

    OutputStream output();

    String describe();

    @Override
    void close();

    static Transport of(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return new SocketTransport(socket);
    }

    /** A TLS (or plain) java.net.Socket. */
    final class SocketTransport implements Transport {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        SocketTransport(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        @Override
        public InputStream input() {
            return in;
        }

        @Override
        public OutputStream output() {
            return out;
        }

        @Override
        public String describe() {
            return String.valueOf(socket.getRemoteSocketAddress());
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // best effort, as above
            }
        }
    }
}
