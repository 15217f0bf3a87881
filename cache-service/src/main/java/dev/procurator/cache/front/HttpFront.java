package dev.procurator.cache.front;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import dev.procurator.cache.protocol.NixProtocol;

/**
 * The service's public HTTP port, on Netty event loops (epoll where available, one per core): the Nix protocol is
 * served here, everything else is relayed to Tomcat on a loopback port.
 */
final class HttpFront implements AutoCloseable {

    /** {@code nix copy} opens up to 25 connections at once: a backlog well above that avoids 1 s SYN retries. */
    private static final int BACKLOG = 256;
    /** Body parts as large as a socket read, so an upload is measured in few, large steps. */
    private static final int MAX_CHUNK = 1024 * 1024;

    private final EventLoopGroup group;
    private final Channel server;

    private HttpFront(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    static HttpFront bind(InetAddress address, int port, int tomcatPort, NixProtocol protocol) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("http-front", true), io);
        try {
            Channel server = new ServerBootstrap().group(group).channel(channel)
                    .option(ChannelOption.SO_BACKLOG, BACKLOG)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(
                                    new IdleStateHandler(0, 0, 5, TimeUnit.MINUTES),
                                    new HttpServerCodec(8192, 16 * 1024, MAX_CHUNK),
                                    new FrontHandler(protocol, tomcatPort));
                        }
                    })
                    .bind(new InetSocketAddress(address, port)).syncUninterruptibly().channel();
            return new HttpFront(group, server);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Stops accepting connections; those open are served on until {@link #close()}. */
    void stopAccepting() {
        server.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
