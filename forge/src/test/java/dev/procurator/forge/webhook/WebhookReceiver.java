package dev.procurator.forge.webhook;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import dev.procurator.common.webhook.WebhookSignature;

/**
 * A real HTTP webhook receiver on an ephemeral port: verifies each request's signature with the shared secret,
 * answers 500 to the first {@code failFirst} requests and 200 afterwards, and keeps what it saw.
 */
final class WebhookReceiver implements AutoCloseable {

    record Received(Map<String, List<String>> headers, String body, boolean signatureValid, int answered) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    static {
        // Without it the JDK server delays small responses by ~40 ms (Nagle), see notes/perf.md.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft;

    WebhookReceiver(String secret, int failFirst) throws IOException {
        this.failuresLeft = new AtomicInteger(failFirst);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER);
            boolean valid = WebhookSignature.verifies(secret, body, signature);
            int status = !valid ? 401 : failuresLeft.getAndDecrement() > 0 ? 500 : 200;
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8),
                    valid, status));
            byte[] answer = (status == 200 ? "thanks" : "try again").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
