package dev.procurator.cache.protocol;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import dev.procurator.cache.path.NarReceiver;
import dev.procurator.common.error.ApiException;

/**
 * One protocol request on a client connection, from its headers to its response. A step that may block runs on the
 * event loop when the protocol's calls are all local (like a static file server: no thread hand-off, which on a
 * small machine costs more than the work), otherwise on the protocol's executor with reading paused; its continuation
 * always runs on the event loop, so the exchange's state is only ever touched there. Nothing here waits on the event
 * loop for another thread: a NAR upload whose background hashing falls behind pauses reading instead. NAR uploads are
 * measured as their bytes arrive, so an upload is verified moments after its last byte.
 */
public final class ProtocolExchange {

    private static final Logger log = LoggerFactory.getLogger(ProtocolExchange.class);

    /** How long the rest of a refused body is read and dropped before the connection closes anyway. */
    private static final long LINGER_SECONDS = 10;

    private enum State { ADMITTING, SMALL_BODY, RECEIVING, WORKING, DONE }

    private enum Lost { HALF_CLOSED, CLOSED }

    private final NixProtocol protocol;
    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final ProtocolRoute route;
    private final Runnable done;
    private State state;
    private boolean bodyComplete;
    private boolean closeAfter;
    private Lost lost;
    /** The answer went out before the body was read to its end; the rest of the body is being dropped. */
    private ChannelFuture lingering;

    private final ByteArrayOutputStream smallBody = new ByteArrayOutputStream();
    /** Body parts that arrived while a NAR upload was being admitted off the event loop. */
    private final ArrayDeque<HttpContent> early = new ArrayDeque<>();
    private NixProtocol.Upload upload;
    private NarReceiver receiver;
    private long received;

    private ProtocolExchange(NixProtocol protocol, ChannelHandlerContext ctx, HttpRequest request, ProtocolRoute route,
                             Runnable done) {
        this.protocol = protocol;
        this.ctx = ctx;
        this.request = request;
        this.route = route;
        this.done = done;
        this.closeAfter = !HttpUtil.isKeepAlive(request);
    }

    /**
     * Starts serving a request whose headers just arrived; its body parts follow through {@link #content}.
     *
     * @param done run on the event loop once the response is out and the connection may carry the next request
     */
    public static ProtocolExchange start(NixProtocol protocol, ChannelHandlerContext ctx, HttpRequest request,
                                         ProtocolRoute route, Runnable done) {
        ProtocolExchange exchange = new ProtocolExchange(protocol, ctx, request, route, done);
        if (NixProtocol.isNarUpload(request, route)) {
            exchange.state = State.ADMITTING;
            exchange.step(false, () -> protocol.admitUpload(request, route, exchange::continueIfExpected),
                    exchange::admitted);
        } else {
            exchange.state = State.SMALL_BODY;
            try {
                protocol.admitSmallBody(request);
                exchange.continueIfExpected();
            } catch (ApiException e) {
                exchange.fail(e);
            }
        }
        return exchange;
    }

    /** The next part of the request's body; takes ownership of it. */
    public void content(HttpContent content) {
        try {
            bodyComplete = content instanceof LastHttpContent;
            switch (state) {
                case ADMITTING -> early.add(content.retain());
                case SMALL_BODY -> smallBody(content);
                case RECEIVING -> receive(content);
                default -> {
                    // the response is decided (or out); the rest of a rejected body is dropped
                    if (lingering != null && bodyComplete) {
                        lingering.addListener(ChannelFutureListener.CLOSE);
                    }
                }
            }
        } finally {
            content.release();
        }
    }

    /**
     * The client closed its side ({@code halfClosed}) or the whole connection. An upload cut off mid-body leaves
     * nothing behind and, where the client can still hear it, is answered {@code truncated_upload}.
     */
    public void connectionLost(boolean halfClosed) {
        closeAfter = true;
        if (lingering != null) {
            lingering.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (state == State.DONE || bodyComplete) {
            return; // answered, or the body is whole and its answer is on the way
        }
        if (state == State.ADMITTING) {
            lost = halfClosed ? Lost.HALF_CLOSED : Lost.CLOSED; // answered once the admission is back
            return;
        }
        truncated(halfClosed && state == State.RECEIVING);
    }

    private void truncated(boolean answer) {
        abortUpload();
        if (answer && ctx.channel().isActive()) {
            long length = HttpUtil.getContentLength(request, -1L);
            send(Reply.error(ApiException.badRequest("truncated_upload",
                    "The upload ended after " + received + " of " + length + " bytes.")));
        } else {
            state = State.DONE;
        }
    }

    private void smallBody(HttpContent content) {
        byte[] bytes = new byte[content.content().readableBytes()];
        content.content().readBytes(bytes);
        smallBody.writeBytes(bytes);
        if (smallBody.size() > NixProtocol.SMALL_BODY_LIMIT) {
            fail(new ApiException(HttpStatus.CONTENT_TOO_LARGE, "too_large", "The body is over 1 MiB."));
        } else if (content instanceof LastHttpContent) {
            state = State.WORKING;
            byte[] body = smallBody.toByteArray();
            step(false, () -> protocol.handle(request, route, body), this::send);
        }
    }

    private void admitted(Optional<NixProtocol.Upload> admitted) {
        if (lost != null) { // the client left while the upload was being admitted
            admitted.ifPresent(ProtocolExchange::deleteQuietly);
            truncated(lost == Lost.HALF_CLOSED);
            return;
        }
        if (admitted.isEmpty()) {
            send(Reply.status(HttpResponseStatus.OK)); // stored before: the rest of the body is dropped
            return;
        }
        upload = admitted.get();
        receiver = new NarReceiver(upload.compression(), upload.temp().channel(),
                HttpUtil.getContentLength(request, 0L), protocol.executor());
        state = State.RECEIVING;
        while (!early.isEmpty()) {
            HttpContent content = early.poll();
            try {
                if (state == State.RECEIVING) {
                    receive(content);
                }
            } finally {
                content.release();
            }
        }
    }

    private void receive(HttpContent content) {
        try {
            for (ByteBuffer chunk : content.content().nioBuffers()) {
                received += chunk.remaining();
                receiver.accept(chunk);
            }
        } catch (Exception e) {
            fail(e);
            return;
        }
        if (content instanceof LastHttpContent) {
            state = State.WORKING;
            CompletableFuture<Void> hashed = receiver.hashed();
            if (hashed.isDone()) {
                commitUpload();
            } else {
                hashed.whenComplete((ignored, error) -> ctx.executor().execute(this::commitUpload));
            }
        } else if (receiver.hashingBehind()) {
            // Back-pressure instead of waiting: no more reads until the hashing has caught up.
            ctx.channel().config().setAutoRead(false);
            receiver.whenHashingCaughtUp(() -> ctx.executor().execute(() -> {
                if (state == State.RECEIVING) {
                    ctx.channel().config().setAutoRead(true);
                }
            }));
        }
    }

    /** The whole body is in and hashed: verify it and make it visible. */
    private void commitUpload() {
        if (state != State.WORKING) {
            return; // the connection went meanwhile, and the upload with it
        }
        step(receiver.finishIsSlow(), () -> {
            upload.temp().channel().close();
            return protocol.commitUpload(upload, receiver.finish(upload.temp().path()));
        }, created -> {
            receiver.close();
            upload = null;
            send(Reply.status(created ? HttpResponseStatus.CREATED : HttpResponseStatus.OK));
        });
    }

    /**
     * Runs a step that may block, then its continuation on the event loop; a failure is answered instead.
     *
     * @param slow whether the step is slow even when every call is local (then it never runs on the event loop)
     */
    private <T> void step(boolean slow, Callable<T> work, Consumer<T> next) {
        if (protocol.localCalls() && !slow) {
            attempt(work, next).run();
            return;
        }
        ctx.channel().config().setAutoRead(false);
        protocol.executor().execute(() -> {
            Runnable then = attempt(work, next);
            ctx.executor().execute(() -> {
                ctx.channel().config().setAutoRead(true);
                then.run();
            });
        });
    }

    /** Does the work now; returns what follows from its outcome. */
    private <T> Runnable attempt(Callable<T> work, Consumer<T> next) {
        try {
            T result = work.call();
            return () -> next.accept(result);
        } catch (Exception e) {
            return () -> fail(e);
        }
    }

    /** Asks for the body if the client waits to be asked; safe off the event loop (Netty queues the write there). */
    private void continueIfExpected() {
        if (HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }

    private void fail(Throwable e) {
        abortUpload();
        if (state == State.DONE) {
            return;
        }
        ApiException error;
        if (e instanceof ApiException api) {
            error = api;
        } else {
            log.error("{} {} failed", request.method(), request.uri(), e);
            error = new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                    "The cache failed to serve this request; see its log.");
        }
        send(Reply.error(error));
    }

    private void send(Reply reply) {
        state = State.DONE;
        // A body not read to its end cannot be told apart from the next request: the connection ends here.
        closeAfter |= !bodyComplete;
        switch (reply) {
            case Reply.Whole whole -> finish(ctx.writeAndFlush(withConnection(whole.response())));
            case Reply.LocalFile local -> sendFile(local);
            case Reply.Stream stream -> sendStream(stream);
        }
    }

    private void sendFile(Reply.LocalFile local) {
        FileChannel channel;
        try {
            channel = FileChannel.open(local.file(), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            send(Reply.error(ApiException.notFound("The NAR file was evicted a moment ago.")));
            return;
        } catch (Exception e) {
            fail(e);
            return;
        }
        // Corked while the file streams, as nginx's tcp_nopush: full segments from the headers on, the tail pushed
        // out by uncorking (A/B on a 50 MiB NAR, one stream: +15% MiB/s).
        boolean cork = ctx.channel() instanceof EpollSocketChannel && ctx.channel().isOpen();
        if (cork) {
            setCork(true);
        }
        ctx.write(withConnection(local.head()));
        ctx.write(new DefaultFileRegion(channel, local.start(), local.length()));
        ChannelFuture written = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (cork) {
            written.addListener(f -> { // before finish's listener serves the next request
                if (ctx.channel().isOpen()) {
                    setCork(false);
                }
            });
        }
        finish(written);
    }

    private void setCork(boolean on) {
        ctx.channel().config().setOption(EpollChannelOption.TCP_CORK, on);
    }

    /** Copies a remote blob on a virtual thread, waiting whenever the client falls behind. */
    private void sendStream(Reply.Stream stream) {
        ctx.writeAndFlush(withConnection(stream.head()));
        protocol.executor().execute(() -> {
            try (InputStream in = stream.body()) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    ChannelFuture written = ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(buffer, 0, n)));
                    if (!ctx.channel().isWritable()) {
                        written.sync();
                    }
                }
                ctx.executor().execute(() -> finish(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)));
            } catch (Exception e) {
                log.warn("Sending {} stopped: {}", request.uri(), e.toString());
                ctx.close();
            }
        });
    }

    private HttpResponse withConnection(HttpResponse response) {
        HttpUtil.setKeepAlive(response, !closeAfter);
        return response;
    }

    private void finish(ChannelFuture written) {
        if (closeAfter && !bodyComplete && ctx.channel() instanceof DuplexChannel duplex && !duplex.isInputShutdown()) {
            lingerThenClose(written, duplex);
        } else if (closeAfter) {
            written.addListener(ChannelFutureListener.CLOSE);
        } else {
            written.addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    done.run();
                } else {
                    f.channel().close();
                }
            });
        }
    }

    /**
     * Ends the answer with a FIN, then reads and drops what the client still sends until it is done or a timeout.
     * Closing with the body's rest unread would reset the connection, which can destroy the answer before the client
     * reads it (the lingering close of nginx and Tomcat).
     */
    private void lingerThenClose(ChannelFuture written, DuplexChannel duplex) {
        lingering = written.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                duplex.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
            } else {
                f.channel().close();
            }
        });
    }

    /** Drops a NAR upload in progress: its temp file never becomes visible. */
    private void abortUpload() {
        while (!early.isEmpty()) {
            early.poll().release();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (upload != null) {
            deleteQuietly(upload);
            upload = null;
        }
    }

    /** Closes (if still open) and deletes an upload's temp file. */
    private static void deleteQuietly(NixProtocol.Upload upload) {
        try {
            upload.temp().channel().close();
            Files.deleteIfExists(upload.temp().path());
        } catch (Exception e) {
            log.warn("Could not delete the upload file {}: {}", upload.temp().path(), e.toString());
        }
    }
}
