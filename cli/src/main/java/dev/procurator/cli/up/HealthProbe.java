package dev.procurator.cli.up;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Asks a service's {@code /actuator/health}: UP means HTTP 200 with {@code "status":"UP"}. The HTTP client's own tasks
 * run on the executor it is given; {@link #close} ends it.
 */
public final class HealthProbe implements AutoCloseable {

    private final HttpClient client;

    public HealthProbe(Executor executor) {
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).executor(executor).build();
    }

    public boolean isUp(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(3))
                .GET()
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().replace(" ", "").contains("\"status\":\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
