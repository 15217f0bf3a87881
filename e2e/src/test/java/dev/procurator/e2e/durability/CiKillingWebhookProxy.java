package dev.procurator.e2e.durability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * Sits between the forge and the CI: passes each webhook delivery on (headers and body untouched) and, once armed,
 * SIGKILLs the CI the moment it has acknowledged a push with a 2xx — before the forge even sees the answer. What the
 * CI acknowledged must then survive its death.
 */
final class CiKillingWebhookProxy implements AutoCloseable {

    /** Kills the CI process. */
    interface Killer {
        void kill() throws Exception;
    }

    /** A delivery the CI acknowledged just before it was killed. */
    record Acknowledged(int status, String body) {
    }

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Acknowledged> acknowledged = new CopyOnWriteArrayList<>();
    private volatile boolean armed;

    CiKillingWebhookProxy(String ciUrl, Killer killer) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/hooks/forge", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(ciUrl + "/hooks/forge"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (name.toLowerCase().startsWith("x-procurator-") || name.equalsIgnoreCase("content-type")) {
                    forward.header(name, values.getFirst());
                }
            });
            int status;
            byte[] answer;
            try {
                HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                status = response.statusCode();
                answer = response.body();
                if (armed && status / 100 == 2 && "push".equals(exchange.getRequestHeaders()
                        .getFirst("X-Procurator-Event"))) {
                    armed = false;
                    killer.kill();
                    acknowledged.add(new Acknowledged(status, new String(answer)));
                }
            } catch (Exception e) {
                status = 502;
                answer = ("CI unreachable: " + e).getBytes();
            }
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next acknowledged push kills the CI. */
    void arm() {
        armed = true;
    }

    List<Acknowledged> acknowledged() {
        return acknowledged;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
