package dev.procurator.capnp.rpc;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/** Parses addresses as the C++ EzRpc does: {@code host:port}, {@code [v6]:port} or {@code unix:/path}. */
public final class RpcAddress {
    private RpcAddress() {
    }

    public static SocketAddress parse(String address) {
        if (address.startsWith("unix:")) {
            return UnixDomainSocketAddress.of(Path.of(address.substring("unix:".length())));
        }
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected host:port or unix:/path, got " + address);
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
    }

    /** The inverse of {@link #parse}, for logs and for handing an address to a C++ peer. */
    public static String format(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            return "unix:" + unix.getPath();
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
}
