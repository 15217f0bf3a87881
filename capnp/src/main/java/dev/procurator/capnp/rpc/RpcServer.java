package dev.procurator.capnp.rpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLServerSocket;

/**
 * Serves a bootstrap capability on a TCP or unix domain socket; every accepted connection gets its
 * own {@link RpcConnection}. {@code RpcServer.bind(RpcAddress.parse("0.0.0.0:7441"), new MasterImpl())}.
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RpcServer.class.getName());
    private final ClientHook bootstrap;
    private final RpcOptions options;
    private final ServerSocketChannel channel;
    private final ServerSocket tlsSocket;
    private final SocketAddress localAddress;
    private final Set<RpcConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closing;

    private RpcServer(SocketAddress address, ClientHook bootstrap, RpcOptions options) throws IOException {
        this.bootstrap = bootstrap;
        this.options = options;
        if (options.tls() != null && address instanceof InetSocketAddress inet) {
            SSLServerSocket server = (SSLServerSocket) options.tls().getServerSocketFactory().createServerSocket();
            server.setNeedClientAuth(options.needClientAuth());
            server.setReuseAddress(true);
            server.bind(inet, 128);
            this.tlsSocket = server;
            this.channel = null;
            this.localAddress = server.getLocalSocketAddress();
        } else {
            if (address instanceof UnixDomainSocketAddress unix) {
                Files.deleteIfExists(unix.getPath()); // a stale socket file from a previous run
                this.channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            } else {
                this.channel = ServerSocketChannel.open();
            }
            channel.bind(address, 128);
            this.tlsSocket = null;
            this.localAddress = channel.getLocalAddress();
        }
        this.acceptor = Thread.ofPlatform().daemon().name("capnp-rpc accept " + RpcAddress.format(localAddress))
                .start(this::acceptLoop);
    }

    public static RpcServer bind(SocketAddress address, Server bootstrap) throws IOException {
        return bind(address, bootstrap, RpcOptions.DEFAULT);
    }

    public static RpcServer bind(SocketAddress address, Server bootstrap, RpcOptions options) throws IOException {
        return new RpcServer(address, new LocalHook(bootstrap), options);
    }

    public static RpcServer bind(SocketAddress address, Client bootstrap, RpcOptions options) throws IOException {
        return new RpcServer(address, bootstrap.hook(), options);
    }

    public SocketAddress localAddress() {
        return localAddress;
    }

    /** The TCP port bound (useful after binding port 0); -1 for a unix socket. */
    public int port() {
        return localAddress instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }

    public Set<RpcConnection> connections() {
        return Set.copyOf(connections);
    }

    private void acceptLoop() {
        while (!closing) {
            try {
                Wire wire;
                if (channel != null) {
                    SocketChannel accepted = channel.accept();
                    wire = new NioWire(accepted);
                } else {
                    Socket accepted = tlsSocket.accept();
                    wire = new StreamWire(Transport.of(accepted));
                }
                RpcConnection connection = new RpcConnection(wire, bootstrap, options);
                connections.add(connection);
                connection.closed().whenComplete((r, e) -> connections.remove(connection));
                connection.start();
            } catch (IOException e) {
                if (!closing) {
                    LOG.log(Level.WARNING, "accept failed on " + RpcAddress.format(localAddress), e);
                }
            }
        }
    }

    /** Stops accepting and closes every connection (their pending calls fail with DISCONNECTED). */
    @Override
    public void close() {
        closing = true;
        try {
            if (channel != null) {
                channel.close();
            } else {
                tlsSocket.close();
            }
        } catch (IOException ignored) {
            // already closed
        }
        connections.forEach(RpcConnection::close);
        try {
            acceptor.join(5000);
            if (localAddress instanceof UnixDomainSocketAddress unix) {
                Files.deleteIfExists(unix.getPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // the socket file is gone already
        }
    }
}
