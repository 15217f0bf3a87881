package dev.procurator.cli.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON over HTTP to one Procurator service with the caller's token. A non-2xx answer becomes an {@link ApiError}
 * carrying the service's own {@code {"error","message"}} text; an unreachable service says which URL it tried.
 */
public final class ApiClient {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.token = token;
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    public JsonNode patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    public String baseUrl() {
        return baseUrl;
    }

    private JsonNode send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliException("Cannot reach " + baseUrl + " (is it running? 'procurator up' starts it locally)");
        } catch (IOException e) {
            throw new CliException("Request to " + baseUrl + path + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        }
        return parse(method, path, response);
    }

    private static JsonNode parse(String method, String path, HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        JsonNode json = body.isBlank() ? JSON.missingNode() : readOrNull(body);
        if (response.statusCode() / 100 == 2) {
            return json == null ? JSON.missingNode() : json;
        }
        if (json != null && json.hasNonNull("message")) {
            throw new ApiError(response.statusCode(), json.path("error").asString(), json.path("message").asString());
        }
        throw new CliException(method + " " + path + " answered HTTP " + response.statusCode());
    }

    private static JsonNode readOrNull(String body) {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
