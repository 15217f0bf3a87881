package dev.procurator.worker.network;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards 127.0.0.1:{@code hostPort} to a guest's {@code address:port} (what QEMU's hostfwd does for its guests,
 * done by the agent for a VMM without user-mode networking). One task per connection direction, on the executor.
 */
public final class LoopbackForwarder implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(LoopbackForwarder.class);

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Executor executor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private LoopbackForwarder(ServerSocket listener, InetSocketAddress target, Executor executor) {
        this.listener = listener;
        this.target = target;
        this.executor = executor;
    }

    public static LoopbackForwarder start(int hostPort, String address, int port, Executor executor) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), hostPort), 64);
            LoopbackForwarder forwarder = new LoopbackForwarder(listener, new InetSocketAddress(address, port), executor);
            executor.execute(forwarder::accept);
            return forwarder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + hostPort, e);
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                executor.execute(() -> connect(client));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    log.debug("forwarder to {} stopped accepting: {}", target, e.getMessage());
                }
                return;
            }
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 5000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        open.add(client);
        open.add(upstream);
        executor.execute(() -> pump(client, upstream));
        pump(upstream, client);
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // either side closed
        } finally {
            open.remove(from);
            open.remove(to);
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        open.forEach(LoopbackForwarder::closeQuietly);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
