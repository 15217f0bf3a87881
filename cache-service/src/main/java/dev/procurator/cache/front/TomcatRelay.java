package dev.procurator.cache.front;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import org.springframework.http.HttpStatus;

import dev.procurator.cache.protocol.Reply;
import dev.procurator.common.error.ApiException;

/**
 * Relays one client connection's non-protocol requests to Tomcat on 127.0.0.1, and Tomcat's responses back.
 *
 * <p>Everything runs on the client channel's event loop (the backend connection is registered on it too), so the
 * state below needs no locking. One exchange at a time: the front keeps reading the client while it forwards a
 * request's body (the relay turns autoRead off and on for back-pressure meanwhile), and stops after the last part until
 * {@code responseComplete} runs. The relay adds a small handler to the client's pipeline to hear when it drains.
 */
final class TomcatRelay {

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    // (Netty deprecates its own Keep-Alive and Proxy-Connection names, as HTTP/2 has no such headers.)
    private static final List<AsciiString> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION,
            AsciiString.cached("keep-alive"), AsciiString.cached("proxy-connection"),
            HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE);

    private final Channel client;
    private final int tomcatPort;

    /** Null before the first request and after the connection closed or failed: the next request reconnects. */
    private Channel backend;
    private boolean connecting;
    /** Request parts forwarded while the backend connection is still being established. */
    private final Queue<HttpObject> pending = new ArrayDeque<>();

    // The current exchange.
    private Runnable responseComplete;
    private boolean head;
    private boolean requestOpen;      // the client has not sent the request's last part yet
    private boolean responseOpen;     // Tomcat still owes (the rest of) the final response
    private boolean responseStarted;  // the final response's head has gone to the client
    private boolean responseWritten;  // ... and its last part too
    private boolean interim;          // Tomcat's current response is a 1xx (100 Continue)
    private boolean clientClose;
    private boolean backendClose;
    private boolean clientPaused;     // we turned the client's autoRead off for back-pressure

    TomcatRelay(Channel client, int tomcatPort) {
        this.client = client;
        this.tomcatPort = tomcatPort;
        // The front's handler does not tell us when the client drains, so watch for it ourselves; first in the
        // pipeline so that the event reaches us whatever the handlers after it do with it.
        client.pipeline().addFirst(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (ctx.channel().isWritable() && backend != null) {
                    backend.config().setAutoRead(true);
                }
                ctx.fireChannelWritabilityChanged();
            }
        });
    }

    /**
     * The next part of a request (HttpRequest, HttpContent..., LastHttpContent). Takes ownership of msg (releases it).
     * {@code responseComplete} runs on the client's event loop, never inside this call, once the last part of the
     * response has been written to the client; not at all if the relay closes the client instead.
     */
    void forward(HttpObject msg, Runnable responseComplete) {
        if (!client.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            begin(request, responseComplete);
        }
        if (msg instanceof LastHttpContent) {
            requestOpen = false;
        }
        toBackend(msg);
        completeIfDone();
    }

    /** The client connection closed: closes the connection to Tomcat. */
    void close() {
        responseOpen = false; // nobody left to answer
        closeBackend();
    }

    private void begin(HttpRequest request, Runnable responseComplete) {
        this.responseComplete = responseComplete;
        head = HttpMethod.HEAD.equals(request.method());
        requestOpen = responseOpen = true;
        responseStarted = responseWritten = interim = backendClose = clientPaused = false;
        clientClose = !HttpUtil.isKeepAlive(request);

        HttpHeaders headers = request.headers();
        stripHopByHop(headers);
        // Set, not appended to: the front is the public edge, so whatever the client claims here is not to be trusted.
        if (client.remoteAddress() instanceof InetSocketAddress remote) {
            headers.set(X_FORWARDED_FOR, remote.getAddress().getHostAddress());
        }
        headers.set(X_FORWARDED_PROTO, "http");
        if (client.localAddress() instanceof InetSocketAddress local) {
            headers.set(X_FORWARDED_PORT, local.getPort());
        }
        if (backend == null || !backend.isOpen()) {
            connect();
        }
    }

    private void connect() {
        ChannelFuture connected = new Bootstrap()
                .group(client.eventLoop())
                // the event loop only takes channels of its own transport
                .channel(client instanceof EpollSocketChannel ? EpollSocketChannel.class : NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // HttpClientCodec pairs responses with requests, so HEAD responses decode without a body
                        ch.pipeline().addLast(new HttpClientCodec(), new BackendHandler());
                    }
                })
                .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tomcatPort));
        backend = connected.channel();
        connecting = true;
        pauseClient(); // the body would otherwise pile up in pending
        connected.addListener((ChannelFuture f) -> {
            if (f.channel() != backend) {
                return; // given up on already
            }
            connecting = false;
            if (!f.isSuccess()) {
                backendFailed("the cache service's web application is unreachable");
                return;
            }
            for (HttpObject msg; (msg = pending.poll()) != null; ) {
                backend.write(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
            backend.flush();
            if (backend.isWritable()) {
                resumeClient();
            }
        });
    }

    private void toBackend(HttpObject msg) {
        if (backend == null) {
            ReferenceCountUtil.release(msg); // the backend failed during this request: drop the rest of it
        } else if (connecting) {
            pending.add(msg);
        } else {
            // A failed write closes the connection, and channelInactive then answers the client.
            backend.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            if (!backend.isWritable()) {
                pauseClient(); // until BackendHandler.channelWritabilityChanged
            }
        }
    }

    private void fromBackend(HttpObject msg) {
        if (msg.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            backendFailed("the cache service's web application sent an invalid response");
            return;
        }
        if (msg instanceof HttpResponse response) {
            interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (!interim) {
                responseStarted = true;
                backendClose = !HttpUtil.isKeepAlive(response);
                // A body delimited by Tomcat closing the connection can only be passed on the same way.
                clientClose |= !head && !HttpUtil.isContentLengthSet(response)
                        && !HttpUtil.isTransferEncodingChunked(response)
                        && response.status().code() != 204 && response.status().code() != 304;
            }
            stripHopByHop(response.headers());
            if (clientClose && !interim) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
        // The codec ends a 1xx with a LastHttpContent too; the encoder on the client side needs it as well.
        boolean end = msg instanceof LastHttpContent && !interim;
        if (msg instanceof LastHttpContent) {
            interim = false;
        }
        ChannelFuture written = client.writeAndFlush(msg);
        if (end) {
            responseOpen = false;
            if (backendClose) {
                closeBackend();
            }
            whenWritten(written);
        } else if (!client.isWritable() && backend != null) {
            backend.config().setAutoRead(false); // until the client drains (the watcher in the constructor)
        }
    }

    /** Tomcat unreachable, or its connection broke: 502 if the client has seen nothing of a response yet. */
    private void backendFailed(String message) {
        closeBackend();
        if (!responseOpen) {
            return; // an idle keep-alive connection closed; the next request reconnects
        }
        responseOpen = false;
        if (responseStarted) {
            client.close(); // too late for a status: cutting the connection is the only way to say it failed
            return;
        }
        FullHttpResponse response = Reply.error(new ApiException(HttpStatus.BAD_GATEWAY, "bad_gateway", message))
                .response();
        if (clientClose) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        whenWritten(client.writeAndFlush(response));
    }

    private void whenWritten(ChannelFuture written) {
        written.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) { // else the client is gone, and the front closes us
                responseWritten = true;
                completeIfDone();
            }
        });
    }

    /**
     * The exchange is over once the response is out and the request is in. A response can end first (an early error,
     * a 502): the rest of the body is still read (and dropped if Tomcat is gone), as closing on a client that is still
     * sending would reset the connection, and could lose the response on its way.
     */
    private void completeIfDone() {
        if (responseWritten && !requestOpen && responseComplete != null) {
            Runnable complete = responseComplete;
            responseComplete = null;
            if (clientClose) {
                client.close();
            } else {
                // Later, not now: this may run inside forward(), before the front has turned autoRead off.
                client.eventLoop().execute(complete);
            }
        }
    }

    private void closeBackend() {
        if (backend != null) {
            backend.close();
            backend = null;
            connecting = false;
        }
        for (HttpObject msg; (msg = pending.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
        resumeClient(); // whatever is left of the request body is dropped now, not waited for
    }

    private void pauseClient() {
        if (requestOpen && !clientPaused) {
            clientPaused = true;
            client.config().setAutoRead(false);
        }
    }

    private void resumeClient() {
        if (clientPaused) {
            clientPaused = false;
            // Once the request is complete the front owns autoRead: it stays off until responseComplete.
            if (requestOpen) {
                client.config().setAutoRead(true);
            }
        }
    }

    private static void stripHopByHop(HttpHeaders headers) {
        for (String listed : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : listed.split(",")) {
                // Never the framing headers: the codecs re-frame the body from them, and dropping them would let
                // a client smuggle a second request past the front.
                if (!HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name.trim())
                        && !HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name.trim())) {
                    headers.remove(name.trim());
                }
            }
        }
        HOP_BY_HOP.forEach(headers::remove);
    }

    private final class BackendHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (ctx.channel() != backend || !responseOpen || !(msg instanceof HttpObject object)) {
                ReferenceCountUtil.release(msg); // unasked for: the connection is out of step, drop it
                ctx.close();
                return;
            }
            fromBackend(object);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == backend) {
                backendFailed("the cache service's web application closed the connection");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == backend) {
                backendFailed("the connection to the cache service's web application failed");
            } else {
                ctx.close();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel() == backend && ctx.channel().isWritable()) {
                resumeClient();
            }
        }
    }
}
