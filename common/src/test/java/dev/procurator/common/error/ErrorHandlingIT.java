package dev.procurator.common.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Every way a request can go wrong reaches the client as the one JSON error body, never a stack trace. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = ErrorHandlingIT.App.class, properties = "spring.application.name=common-test")
class ErrorHandlingIT {

    private static final String ADMIN = "pcr_test-admin";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("procurator.data-dir", dataDir::toString);
        registry.add("procurator.admin-token", () -> ADMIN);
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void apiExceptionKeepsItsStatusAndCode() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/things/missing", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"not_found\",\"message\":\"No thing named missing.\"}");
    }

    @Test
    void validationErrorsNameTheField() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/things", "{\"name\":\"\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"invalid_request\"").contains("name:");
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/things", "{not json");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"malformed_body\"");
    }

    @Test
    void wrongMethodAndUnknownPathAreJsonToo() throws Exception {
        assertThat(send("DELETE", "/api/v1/things", null))
                .satisfies(r -> assertThat(r.statusCode()).isEqualTo(405))
                .satisfies(r -> assertThat(r.body()).contains("\"error\":\"method_not_allowed\""));
        assertThat(send("GET", "/no/such/page", null))
                .satisfies(r -> assertThat(r.statusCode()).isEqualTo(404))
                .satisfies(r -> assertThat(r.body()).contains("\"error\":\"not_found\""));
    }

    @Test
    void unexpectedFailureHidesItsInternals() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/explode", null);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("\"error\":\"internal_error\"")
                .doesNotContain("IllegalStateException").doesNotContain("secret detail").doesNotContain("at dev.");
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + ADMIN)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootApplication
    @Import(ThingController.class)
    static class App {
    }

    record NewThing(@NotBlank String name) {
    }

    @RestController
    static class ThingController {

        @GetMapping("/api/v1/things/{name}")
        String get(@PathVariable String name) {
            throw ApiException.notFound("No thing named " + name + ".");
        }

        @PostMapping("/api/v1/things")
        String create(@Valid @RequestBody NewThing thing) {
            return thing.name();
        }

        @GetMapping("/api/v1/explode")
        String explode() {
            throw new IllegalStateException("secret detail");
        }
    }
}
