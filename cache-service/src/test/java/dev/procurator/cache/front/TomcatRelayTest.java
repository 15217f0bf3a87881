package dev.procurator.cache.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real HTTP/1.1 backend behind a minimal Netty front that relays every request through {@link TomcatRelay}. */
@Timeout(60)
class TomcatRelayTest {

    /** 20 MiB of noise, and its SHA-256 in hex. */
    private static final byte[] BIG = new byte[20 << 20];
    private static final String BIG_SHA256;

    static {
        new Random(42).nextBytes(BIG);
        BIG_SHA256 = hex(sha256().digest(BIG));
    }

    private static HttpServer backend;
    private static EventLoopGroup nio;
    private static EventLoopGroup epoll;
    private static Channel front;
    private static Channel deadFront;
    private static HttpClient http;

    /** What the front saw of back-pressure: the client held back mid-body, and the most it had queued for it. */
    private static final AtomicInteger clientPausedMidBody = new AtomicInteger();
    private static final AtomicLong clientPendingMax = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        backend.createContext("/echo", TomcatRelayTest::echo);
        backend.createContext("/fixed", exchange -> {
            byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
                exchange.sendResponseHeaders(200, -1);
            } else {
                respond(exchange, 200, body);
            }
        });
        backend.createContext("/sha256", exchange -> {
            // A slow reader, so that the front has to hold the client back.
            MessageDigest sha = sha256();
            byte[] buffer = new byte[64 << 10];
            InputStream in = exchange.getRequestBody();
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                if ((total += n) % (256 << 10) < n) {
                    sleep(5);
                }
            }
            respond(exchange, 200, hex(sha.digest()).getBytes(StandardCharsets.US_ASCII));
        });
        backend.createContext("/big", exchange -> respond(exchange, 200, BIG));
        backend.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 5; i++) {
                    out.write(("part " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        });
        backend.createContext("/close", exchange -> {
            exchange.getResponseHeaders().set("Connection", "close");
            respond(exchange, 200, ("remote-port=" + exchange.getRemoteAddress().getPort()).getBytes());
        });
        backend.createContext("/early", exchange -> {
            // Answers after the body's first MiB and a pause that has the front hold the client back, then swallows
            // the rest and keeps the connection (as Tomcat does up to maxSwallowSize); with ?close, says it will close
            // the connection (as Tomcat does beyond).
            exchange.getRequestBody().readNBytes(1 << 20);
            sleep(200);
            if ("close".equals(exchange.getRequestURI().getQuery())) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            exchange.sendResponseHeaders(413, 9);
            OutputStream out = exchange.getResponseBody();
            out.write("too large".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // the relay hung up on the rest of the body, as it should after Connection: close
            }
            out.close();
        });
        backend.createContext("/abort", exchange -> {
            // Promises 100 bytes, sends 10: closing the stream short makes the server drop the connection.
            exchange.sendResponseHeaders(200, 100);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[10]);
            out.flush();
            exchange.close();
        });
        backend.start();

        nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        front = startFront(nio, NioServerSocketChannel.class, backend.getAddress().getPort());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        deadFront = startFront(nio, NioServerSocketChannel.class, closedPort);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        http.close();
        if (epoll != null) {
            epoll.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        backend.stop(0);
    }

    @Test
    void getIsRelayedWithItsHeadersAndBody() throws IOException {
        try (Raw raw = new Raw(front)) {
            raw.send("GET /echo?x=1 HTTP/1.1\r\nHost: cache.example:8080\r\nX-Custom: hello\r\n"
                    + "Proxy-Authorization: secret\r\nX-Hop: 1\r\nConnection: keep-alive, X-Hop\r\n"
                    + "X-Forwarded-For: 6.6.6.6\r\nContent-Length: 5\r\n\r\nhello");
            RawResponse response = raw.read(false);

            assertThat(response.status()).isEqualTo(200);
            Map<String, String> seen = response.echo();
            assertThat(seen).containsEntry("method", "GET").containsEntry("uri", "/echo?x=1")
                    .containsEntry("host", "cache.example:8080").containsEntry("x-custom", "hello")
                    .containsEntry("x-forwarded-for", "127.0.0.1").containsEntry("x-forwarded-proto", "http")
                    .containsEntry("x-forwarded-port", String.valueOf(port(front)))
                    .containsEntry("proxy-authorization", "null").containsEntry("x-hop", "null")
                    .containsEntry("connection", "null").containsEntry("body", "hello");
        }
    }

    @Test
    void headGetsTheLengthButNoBody() throws IOException {
        try (Raw raw = new Raw(front)) {
            raw.send("HEAD /fixed HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse head = raw.read(true);
            // the same connection is still in step: the HEAD response came without a body
            raw.send("GET /fixed HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse get = raw.read(false);

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers()).containsEntry("content-length", "10");
            assertThat(get.text()).isEqualTo("0123456789");
        }
    }

    @Test
    void aLargeUploadIsStreamedToASlowBackend() throws Exception {
        clientPausedMidBody.set(0);
        HttpResponse<String> response = http.send(post(front, "/sha256"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BIG_SHA256);
        assertThat(clientPausedMidBody).hasPositiveValue();
    }

    @Test
    void aLargeDownloadIsStreamedToASlowClient() throws Exception {
        clientPendingMax.set(0);
        HttpResponse<InputStream> response = http.send(get(front, "/big"), HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest sha = sha256();
        // A slow reader, so that the front has to hold the backend back.
        try (InputStream in = new DigestInputStream(response.body(), sha)) {
            byte[] buffer = new byte[64 << 10];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                if ((total += n) % (256 << 10) < n) {
                    sleep(5);
                }
            }
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(hex(sha.digest())).isEqualTo(BIG_SHA256);
        assertThat(clientPendingMax).hasValueLessThan(1 << 20);
    }

    @Test
    void keepAliveRequestsShareOneBackendConnection() throws IOException {
        try (Raw raw = new Raw(front)) {
            String port = null;
            for (int i = 0; i < 3; i++) {
                raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n#" + i);
                RawResponse response = raw.read(false);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.echo()).containsEntry("body", "#" + i);
                if (port == null) {
                    port = response.echo().get("remote-port");
                }
                assertThat(response.echo()).containsEntry("remote-port", port);
            }
        }
    }

    @Test
    void chunkedResponsesStayChunked() throws IOException {
        try (Raw raw = new Raw(front)) {
            raw.send("GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse response = raw.read(false);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers()).containsEntry("transfer-encoding", "chunked");
            assertThat(response.text()).isEqualTo("part 0\npart 1\npart 2\npart 3\npart 4\n");
        }
    }

    @Test
    void aBackend404IsPassedThrough() throws Exception {
        HttpResponse<String> response = http.send(get(front, "/missing"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void connectionCloseFromTheClientClosesAfterTheResponse() throws IOException {
        try (Raw raw = new Raw(front)) {
            raw.send("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawResponse response = raw.read(false);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers()).containsEntry("connection", "close");
            assertThat(response.echo()).containsEntry("connection", "null");
            assertThat(raw.in.read()).isEqualTo(-1);
        }
    }

    @Test
    void connectionCloseFromTheBackendKeepsTheClient() throws IOException {
        try (Raw raw = new Raw(front)) {
            raw.send("GET /close HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse first = raw.read(false);
            raw.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse second = raw.read(false);

            assertThat(first.headers()).doesNotContainKey("connection");
            assertThat(second.status()).isEqualTo(200);
            // a new backend connection
            assertThat(second.echo().get("remote-port")).isNotEqualTo(first.echo().get("remote-port"));
        }
    }

    @Test
    void expectContinueIsRelayed() throws IOException {
        try (Raw raw = new Raw(front)) {
            raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawResponse interim = raw.read(false);
            raw.send("hello");
            RawResponse response = raw.read(false);

            assertThat(interim.status()).isEqualTo(100);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.echo()).containsEntry("body", "hello");
        }
    }

    @Test
    void anUnreachableBackendIs502() throws IOException {
        try (Raw raw = new Raw(deadFront)) {
            // the client connection stays usable, and a body is dropped
            for (String request : new String[] {"GET /api/caches HTTP/1.1\r\nHost: x\r\n\r\n",
                    "POST /api/caches HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"}) {
                raw.send(request);
                RawResponse response = raw.read(false);

                assertThat(response.status()).isEqualTo(502);
                assertThat(response.headers()).containsEntry("content-type", "application/json");
                assertThat(response.text()).startsWith("{\"error\":\"bad_gateway\",\"message\":\"");
            }
        }
    }

    @Test
    void aResponseBeforeTheWholeBodyStillLetsTheClientFinish() throws Exception {
        try (Raw raw = new Raw(front)) {
            // the rest of the body goes on to the backend, or (once it has closed) nowhere; the client connection lasts
            for (String path : new String[] {"/early", "/early?close"}) {
                CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                    try {
                        raw.send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + BIG.length + "\r\n\r\n");
                        raw.socket.getOutputStream().write(BIG);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                RawResponse early = raw.read(false);
                upload.get(30, TimeUnit.SECONDS);

                assertThat(early.status()).isEqualTo(413);
                assertThat(early.headers()).doesNotContainKey("connection");
            }
            raw.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(raw.read(false).status()).isEqualTo(200);
        }
    }

    @Test
    void aBackendDyingMidResponseCutsTheClient() throws IOException {
        try (Raw raw = new Raw(front)) {
            raw.send("GET /abort HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(raw.line()).startsWith("HTTP/1.1 200");
            while (!raw.line().isEmpty()) {
                // headers
            }

            assertThat(raw.in.readAllBytes()).hasSize(10);
        }
    }

    @Test
    void epollClientsGetAnEpollBackend() throws Exception {
        assumeTrue(Epoll.isAvailable(), "no epoll here");
        Channel epollFront = epollFront();
        try (Raw raw = new Raw(epollFront)) {
            for (int i = 0; i < 2; i++) {
                raw.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(raw.read(false).echo()).containsEntry("x-forwarded-port", String.valueOf(port(epollFront)));
            }
        }
        HttpResponse<String> upload = http.send(post(epollFront, "/sha256"), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.body()).isEqualTo(BIG_SHA256);
    }

    // The stand-in for the front: relays every request, and reads the next one once the response is out.

    private static Channel startFront(EventLoopGroup group, Class<? extends ServerChannel> type, int backendPort)
            throws InterruptedException {
        return new ServerBootstrap().group(group).channel(type)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new RelayEverything(backendPort));
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }

    private static Channel epollFront() throws InterruptedException {
        epoll = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        return startFront(epoll, EpollServerSocketChannel.class, backend.getAddress().getPort());
    }

    private static final class RelayEverything extends ChannelDuplexHandler {
        private final int backendPort;
        private TomcatRelay relay;
        private long bodyBytes;

        RelayEverything(int backendPort) {
            this.backendPort = backendPort;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            relay = new TomcatRelay(ctx.channel(), backendPort);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean last = msg instanceof LastHttpContent;
            bodyBytes = msg instanceof HttpContent content ? bodyBytes + content.content().readableBytes() : 0;
            relay.forward((HttpObject) msg, () -> ctx.channel().config().setAutoRead(true));
            if (last) {
                ctx.channel().config().setAutoRead(false);
            } else if (bodyBytes > 1 << 20 && !ctx.channel().config().isAutoRead()) {
                clientPausedMidBody.incrementAndGet(); // long after connecting: the backend is full
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ChannelOutboundBuffer pending = ctx.channel().unsafe().outboundBuffer();
            if (pending != null) {
                clientPendingMax.accumulateAndGet(pending.totalPendingWriteBytes(), Math::max);
            }
            ctx.write(msg, promise);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            relay.close();
            ctx.fireChannelInactive();
        }
    }

    // The backend.

    private static void echo(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        StringBuilder out = new StringBuilder()
                .append("method=").append(exchange.getRequestMethod()).append('\n')
                .append("uri=").append(exchange.getRequestURI()).append('\n')
                .append("remote-port=").append(exchange.getRemoteAddress().getPort()).append('\n');
        for (String name : new String[] {"host", "x-custom", "x-forwarded-for", "x-forwarded-proto",
                "x-forwarded-port", "proxy-authorization", "x-hop", "connection"}) {
            out.append(name).append('=').append(exchange.getRequestHeaders().getFirst(name)).append('\n');
        }
        out.append("body=").append(new String(body, StandardCharsets.UTF_8));
        respond(exchange, 200, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    // Helpers.

    private static HttpRequest post(Channel to, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(to) + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(BIG)).build();
    }

    private static HttpRequest get(Channel to, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(to) + path)).build();
    }

    private static int port(Channel server) {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record RawResponse(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The /echo handler's report of what reached the backend. */
        Map<String, String> echo() {
            Map<String, String> seen = new HashMap<>();
            for (String line : text().split("\n")) {
                int eq = line.indexOf('=');
                seen.put(line.substring(0, eq), line.substring(eq + 1));
            }
            return seen;
        }
    }

    /** HTTP/1.1 over a plain socket, for what HttpClient hides: the connection, Host, Expect, framing. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final InputStream in;

        Raw(Channel to) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port(to));
            socket.setSoTimeout(20_000);
            in = new BufferedInputStream(socket.getInputStream());
        }

        void send(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }

        RawResponse read(boolean head) throws IOException {
            int status = Integer.parseInt(line().split(" ")[1]);
            Map<String, String> headers = new HashMap<>();
            for (String line; !(line = line()).isEmpty(); ) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
            }
            byte[] body;
            if (head || status < 200 || status == 204 || status == 304) {
                body = new byte[0];
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
                    out.write(in.readNBytes(size));
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
                body = out.toByteArray();
            } else if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else {
                body = in.readAllBytes();
            }
            return new RawResponse(status, headers, body);
        }

        String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new EOFException("connection closed after " + line);
                }
                if (c != '\r') {
                    line.write(c);
                }
            }
            return line.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
