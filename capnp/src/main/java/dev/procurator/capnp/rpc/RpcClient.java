package dev.procurator.capnp.rpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.function.Function;
import javax.net.ssl.SSLSocket;

/**
 * A connection to an RPC server:
 * {@code Master.Client master = RpcClient.connect(address).bootstrap(Master.Client::new);}
 */
public final class RpcClient implements AutoCloseable {
    private final RpcConnection connection;

    private RpcClient(RpcConnection connection) {
        this.connection = connection;
    }

    public static RpcClient connect(SocketAddress address) throws IOException {
        return connect(address, RpcOptions.DEFAULT, null);
    }

    public static RpcClient connect(SocketAddress address, RpcOptions options) throws IOException {
        return connect(address, options, null);
    }

    /** Connects and also serves {@code bootstrap} to the peer, for peers that call back first. */
    public static RpcClient connect(SocketAddress address, RpcOptions options, Server bootstrap) throws IOException {
        Wire wire;
        if (options.tls() != null && address instanceof InetSocketAddress inet) {
            SSLSocket socket = (SSLSocket) options.tls().getSocketFactory().createSocket(inet.getAddress(),
                    inet.getPort());
            socket.startHandshake();
            wire = new StreamWire(Transport.of(socket));
        } else {
            SocketChannel channel = address instanceof UnixDomainSocketAddress
                    ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
            try {
                channel.connect(address);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            wire = new NioWire(channel);
        }
        RpcConnection connection = new RpcConnection(wire, bootstrap == null ? null : new LocalHook(bootstrap),
                options);
        connection.start();
        return new RpcClient(connection);
    }

    /** The peer's bootstrap capability, typed by a generated client constructor. */
    public <T> T bootstrap(Function<ClientHook, T> clientType) {
        return clientType.apply(connection.bootstrap());
    }

    public RpcConnection connection() {
        return connection;
    }

    @Override
    public void close() {
        connection.close();
    }
}
