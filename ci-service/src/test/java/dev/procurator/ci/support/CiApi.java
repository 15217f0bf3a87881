package dev.procurator.ci.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The CI's HTTP API as a client sees it, with the admin token. */
public final class CiApi {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final String url;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();

    public CiApi(String url, String token) {
        this.url = url;
        this.token = token;
    }

    public String url() {
        return url;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token));
    }

    public HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body)));
    }

    public JsonNode json(String path) {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    public static JsonNode parse(String body) {
        return JSON.readTree(body);
    }

    public JsonNode pipeline(long id) {
        return json("/api/v1/pipelines/" + id);
    }

    /** The pipeline once it has finished (succeeded, failed or cancelled). */
    public JsonNode awaitFinished(long id, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode pipeline = pipeline(id);
        while (!List.of("succeeded", "failed", "cancelled").contains(pipeline.path("status").asString())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pipeline " + id + " not finished within " + within + ": " + pipeline);
            }
            sleep(200);
            pipeline = pipeline(id);
        }
        return pipeline;
    }

    /** The pipeline once its step {@code name} is running. */
    public JsonNode awaitStepRunning(long id, String name, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode pipeline = pipeline(id);
            for (JsonNode step : pipeline.path("steps")) {
                if (step.path("name").asString().equals(name) && step.path("status").asString().equals("running")) {
                    return pipeline;
                }
            }
            sleep(100);
        }
        throw new AssertionError("step " + name + " of pipeline " + id + " not running within " + within + ": "
                + pipeline(id));
    }

    public static List<String> stepNames(JsonNode pipeline) {
        List<String> names = new ArrayList<>();
        pipeline.path("steps").forEach(step -> names.add(step.path("name").asString()));
        return names;
    }

    public static String stepStatus(JsonNode pipeline, String name) {
        for (JsonNode step : pipeline.path("steps")) {
            if (step.path("name").asString().equals(name)) {
                return step.path("status").asString();
            }
        }
        return null;
    }

    public static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
