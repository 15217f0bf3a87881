package dev.procurator.worker.console;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a VM's serial console from the VMM's unix socket into its {@link ConsoleLog}. The VMM is the socket's server
 * and drops output while nobody reads, so the VM never blocks on its console, and a restarted agent simply connects
 * again. Reconnects while the VMM lives.
 */
public final class ConsoleCapture implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleCapture.class);

    private final Path socket;
    private final ConsoleLog console;
    private final BooleanSupplier vmmAlive;
    private volatile boolean closed;
    private volatile SocketChannel channel;

    private ConsoleCapture(Path socket, ConsoleLog console, BooleanSupplier vmmAlive) {
        this.socket = socket;
        this.console = console;
        this.vmmAlive = vmmAlive;
    }

    public static ConsoleCapture start(Path socket, ConsoleLog console, BooleanSupplier vmmAlive, Executor executor) {
        ConsoleCapture capture = new ConsoleCapture(socket, console, vmmAlive);
        executor.execute(capture::run);
        return capture;
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (!closed) {
            try (SocketChannel open = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                open.connect(UnixDomainSocketAddress.of(socket));
                channel = open;
                int n;
                while (!closed && (n = open.read(buffer.clear())) >= 0) {
                    console.append(buffer.array(), n);
                }
            } catch (IOException e) {
                if (closed || !vmmAlive.getAsBoolean()) {
                    return;
                }
                log.trace("console {} not readable yet: {}", socket, e.getMessage());
            }
            if (!vmmAlive.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        SocketChannel open = channel;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
