package dev.procurator.cache.front;

import java.util.ArrayDeque;
import java.util.Optional;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import dev.procurator.cache.protocol.NixProtocol;
import dev.procurator.cache.protocol.ProtocolExchange;
import dev.procurator.cache.protocol.ProtocolRoute;
import dev.procurator.cache.protocol.Reply;
import dev.procurator.common.error.ApiException;

/**
 * One client connection: each request goes to the Nix protocol if its path names a protocol resource, otherwise to
 * Tomcat through the connection's {@link TomcatRelay}. One request at a time: a pipelined request waits, with reading
 * paused, until the one before it is answered.
 */
final class FrontHandler extends ChannelInboundHandlerAdapter {

    private final NixProtocol protocol;
    private final int tomcatPort;
    private final ArrayDeque<HttpObject> waiting = new ArrayDeque<>();
    private ProtocolExchange exchange;
    private TomcatRelay relay;
    private boolean relaying;

    FrontHandler(NixProtocol protocol, int tomcatPort) {
        this.protocol = protocol;
        this.tomcatPort = tomcatPort;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject http)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!waiting.isEmpty() || (http instanceof HttpRequest && busy())) {
            waiting.add(http);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        dispatch(ctx, http);
    }

    private boolean busy() {
        return exchange != null || relaying;
    }

    private void dispatch(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                malformed(ctx);
                return;
            }
            Optional<ProtocolRoute> route = ProtocolRoute.of(request.uri());
            if (route.isPresent()) {
                exchange = ProtocolExchange.start(protocol, ctx, request, route.get(), () -> next(ctx));
            } else {
                relaying = true;
                relay.forward(request, () -> next(ctx));
            }
        } else if (msg instanceof HttpContent content) {
            deliver(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void deliver(HttpContent content) {
        if (exchange != null) {
            exchange.content(content);
        } else if (relaying) {
            relay.forward(content, null);
        } else {
            content.release(); // the rest of a request that was already answered
        }
    }

    /** The response is out: serve what waited meanwhile, then read on. */
    private void next(ChannelHandlerContext ctx) {
        exchange = null;
        relaying = false;
        // A request that waited is followed by its body parts, which go to it even while it is being served.
        while (!waiting.isEmpty() && !(waiting.peek() instanceof HttpRequest && busy())) {
            dispatch(ctx, waiting.poll());
        }
        if (waiting.isEmpty() && !busy()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        relay = new TomcatRelay(ctx.channel(), tomcatPort);
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof ChannelInputShutdownEvent) {
            if (exchange != null) {
                exchange.connectionLost(true);
            } else if (!relaying) {
                ctx.close(); // the client is done with this connection
            }
        } else if (event instanceof IdleStateEvent && !busy()) {
            ctx.close();
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (exchange != null) {
            exchange.connectionLost(false);
        }
        while (!waiting.isEmpty()) {
            ReferenceCountUtil.release(waiting.poll());
        }
        relay.close();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset connection; requests in flight clean up in channelInactive
    }

    private static void malformed(ChannelHandlerContext ctx) {
        FullHttpResponse response = Reply.error(ApiException.badRequest("bad_request", "The request is malformed."))
                .response();
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
