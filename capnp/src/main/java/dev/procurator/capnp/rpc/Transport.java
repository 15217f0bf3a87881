package dev.procurator.capnp.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A byte stream to one peer: a socket channel (TCP or unix domain) or a TLS socket. */
interface Transport extends AutoCloseable {
    InputStream input();

    OutputStream output();

    String describe();

    @Override
    void close();

    static Transport of(SocketChannel channel) throws IOException {
        if (channel.getLocalAddress() instanceof java.net.InetSocketAddress) {
            // small calls must not wait for Nagle's algorithm (40 ms per response otherwise)
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        return new ChannelTransport(channel);
    }

    static Transport of(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return new SocketTransport(socket);
    }

    /**
     * Streams over a blocking SocketChannel. Channels.newInputStream is avoided on purpose: its
     * streams serialize reads and writes on one lock, so a blocked read would stall every write.
     */
    final class ChannelTransport implements Transport {
        private final SocketChannel channel;
        private final InputStream in;
        private final OutputStream out;

        ChannelTransport(SocketChannel channel) {
            this.channel = channel;
            this.in = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
                }
            };
            this.out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            };
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
            try {
                return String.valueOf(channel.getRemoteAddress());
            } catch (IOException e) {
                return "closed channel";
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is best effort; the reader sees the end of stream either way
            }
        }
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
