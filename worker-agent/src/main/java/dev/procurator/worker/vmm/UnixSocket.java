package dev.procurator.worker.vmm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A client connection on a unix socket with deadlines on every read (a VMM that hangs must not hang the agent):
 * what QMP and cloud-hypervisor's REST API are spoken over. Java's HttpClient cannot use unix sockets.
 */
public final class UnixSocket implements AutoCloseable {

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean eof;

    private UnixSocket(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    public static UnixSocket connect(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            return new UnixSocket(channel, selector);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    public void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                Thread.onSpinWait();
            }
        }
    }

    /** The next line (without its end), or null at end of stream. */
    public String readLine(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            byte[] bytes = pending.toByteArray();
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    pending.reset();
                    pending.write(bytes, i + 1, bytes.length - i - 1);
                    int end = i > 0 && bytes[i - 1] == '\r' ? i - 1 : i;
                    return new String(bytes, 0, end, StandardCharsets.UTF_8);
                }
            }
            if (eof) {
                if (bytes.length == 0) {
                    return null;
                }
                pending.reset();
                return new String(bytes, StandardCharsets.UTF_8);
            }
            fill(deadline);
        }
    }

    /** Exactly {@code length} bytes (fewer only at end of stream). */
    public byte[] readBytes(int length, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.size() < length && !eof) {
            fill(deadline);
        }
        byte[] bytes = pending.toByteArray();
        int n = Math.min(length, bytes.length);
        pending.reset();
        pending.write(bytes, n, bytes.length - n);
        return java.util.Arrays.copyOf(bytes, n);
    }

    /** Everything until the peer closes. */
    public byte[] readToEnd(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof) {
            fill(deadline);
        }
        byte[] bytes = pending.toByteArray();
        pending.reset();
        return bytes;
    }

    private void fill(long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IOException("no answer on the socket in time");
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
        ByteBuffer buffer = ByteBuffer.allocate(16384);
        int n = channel.read(buffer);
        if (n < 0) {
            eof = true;
        } else if (n > 0) {
            pending.write(buffer.array(), 0, n);
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
    }
}
