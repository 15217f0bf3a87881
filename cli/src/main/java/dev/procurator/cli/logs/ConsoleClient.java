package dev.procurator.cli.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import dev.procurator.cli.api.CliException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a VM's console from a worker agent: the last lines as text, or the last lines and then every new one as the
 * agent's Server-Sent Events ({@code event: line}, {@code data: <text>}).
 */
final class ConsoleClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String agentUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ConsoleClient(String agentUrl, String token) {
        this.agentUrl = agentUrl;
        this.token = token;
    }

    List<String> tail(String vm, int replica, int lines) {
        HttpResponse<InputStream> response = send(uri(vm, replica, lines, false), "text/plain");
        try (InputStream body = response.body()) {
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : List.of(text.split("\n"));
        } catch (IOException e) {
            throw new CliException("Reading the console from " + agentUrl + " failed: " + e.getMessage());
        }
    }

    /** Prints history then new lines until the agent closes the stream (or the user interrupts). */
    void follow(String vm, int replica, int lines, Consumer<String> sink) {
        HttpResponse<InputStream> response = send(uri(vm, replica, lines, true), "text/event-stream");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            StringBuilder data = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        sink.accept(data.toString());
                    }
                    data = null;
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        } catch (IOException e) {
            throw new CliException("The console stream from " + agentUrl + " broke: " + e.getMessage());
        }
    }

    private URI uri(String vm, int replica, int lines, boolean follow) {
        return URI.create(agentUrl + "/api/v1/vms/" + URLEncoder.encode(vm, StandardCharsets.UTF_8) + "/" + replica
                + "/console?lines=" + lines + (follow ? "&follow=true" : ""));
    }

    private HttpResponse<InputStream> send(URI uri, String accept) {
        // JSON too: that is how the agent explains an error (an unknown VM, a bad request).
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", accept + ", application/json");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new CliException("Cannot reach the worker agent at " + agentUrl);
        } catch (IOException e) {
            throw new CliException("Request to " + uri + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        }
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            String message = "HTTP " + response.statusCode();
            try {
                JsonNode error = JSON.readTree(body);
                if (error.hasNonNull("message")) {
                    message = error.path("message").asString() + " (" + error.path("error").asString() + ", " + message + ")";
                }
            } catch (RuntimeException notJson) {
                // keep the status alone
            }
            throw new CliException("The worker agent at " + agentUrl + " answered: " + message);
        }
        return response;
    }
}
