package dev.procurator.forge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small JSON client for the forge API in tests: every call returns status + parsed body. */
public final class Api {

    public record Response(int status, JsonNode json, String body, HttpResponse<String> raw) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public String base() {
        return base;
    }

    public Response get(String token, String path) {
        return send(token, "GET", path, null);
    }

    public Response post(String token, String path, Object body) {
        return send(token, "POST", path, body);
    }

    public Response put(String token, String path, Object body) {
        return send(token, "PUT", path, body);
    }

    public Response patch(String token, String path, Object body) {
        return send(token, "PATCH", path, body);
    }

    public Response delete(String token, String path) {
        return send(token, "DELETE", path, null);
    }

    public Response send(String token, String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
            HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            if (contentType.contains("json") && !response.body().isEmpty()) {
                json = JSON.readTree(response.body());
            }
            return new Response(response.statusCode(), json, response.body(), response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a user (as the admin) and returns a fresh token with the given scopes. */
    public String userWithToken(String adminToken, String name, String... scopes) {
        Response created = post(adminToken, "/api/v1/users", java.util.Map.of("name", name));
        if (created.status() != 201 && created.status() != 409) {
            throw new IllegalStateException("cannot create user " + name + ": " + created.body());
        }
        Response token = post(adminToken, "/api/v1/users/" + name + "/tokens",
                java.util.Map.of("name", "test", "scopes", java.util.List.of(scopes)));
        if (token.status() != 201) {
            throw new IllegalStateException("cannot create token for " + name + ": " + token.body());
        }
        return token.json().get("token").asString();
    }
}
