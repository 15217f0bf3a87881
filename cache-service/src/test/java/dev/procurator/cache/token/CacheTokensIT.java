package dev.procurator.cache.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.support.CacheClient;
import dev.procurator.cache.support.TestNar;
import dev.procurator.common.testing.TestDatabase;

/**
 * Cache tokens on common's token model, over real HTTP on PostgreSQL: a revoked or expired token is refused at once,
 * on the Nix protocol (served by the front) as on the API, even right after a use put it in the lookup cache; a
 * revoked token leaves the list but keeps its row.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CacheTokensIT {

    static final String ADMIN = "test-admin-token";

    @RegisterExtension
    static TestDatabase db = new TestDatabase();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        db.register(registry);
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        registry.add("procurator.data-dir", () -> dataDir.toString());
        registry.add("procurator.admin-token", () -> ADMIN);
    }

    @LocalServerPort
    int port;

    CacheClient client;

    @BeforeEach
    void client() {
        client = new CacheClient(port);
        if (client.get("/api/v1/caches/vault", ADMIN).statusCode() == 404) {
            assertThat(client.json("POST", "/api/v1/caches", "{\"name\":\"vault\",\"public\":false}", ADMIN)
                    .statusCode()).isEqualTo(201);
        }
    }

    @Test
    void aRevokedTokenIsRefusedAtOnceThoughJustCachedAndLeavesTheList() {
        TestNar nar = pushed();
        String narinfo = "/vault/" + nar.hash() + ".narinfo";
        String token = secret(create("{\"name\":\"ci\",\"scope\":\"write\"}"));
        String id = field(client.get("/api/v1/caches/vault/tokens", ADMIN).body(), "\"id\":(\\d+),\"name\":\"ci\"");

        // Used on both front doors, so the registry's lookup cache holds it when it is revoked.
        assertThat(client.get(narinfo, token).statusCode()).isEqualTo(200);
        assertThat(client.get("/api/v1/caches/vault", token).statusCode()).isEqualTo(200);
        assertThat(client.get("/api/v1/caches/vault/tokens", ADMIN).body())
                .as("its use is recorded").containsPattern("\"name\":\"ci\",[^}]*\"lastUsedAt\":\"");

        assertThat(client.send("DELETE", "/api/v1/caches/vault/tokens/" + id, null, null, ADMIN).statusCode())
                .isEqualTo(204);
        assertError(client.get(narinfo, token), 401, "invalid_token");
        assertError(client.get("/api/v1/caches/vault", token), 401, "invalid_token");
        assertThat(client.push("vault", TestNar.of(TestNar.randomHash(), "late", "late", Compression.ZSTD), token))
                .isEqualTo(401);
        assertThat(client.get("/api/v1/caches/vault/tokens", ADMIN).body()).doesNotContain("\"name\":\"ci\"");

        assertThat(client.send("DELETE", "/api/v1/caches/vault/tokens/" + id, null, null, ADMIN).statusCode())
                .as("revoking again changes nothing").isEqualTo(204);
        assertError(client.send("DELETE", "/api/v1/caches/vault/tokens/999999", null, null, ADMIN), 404, "not_found");
        assertError(client.send("DELETE", "/api/v1/caches/main/tokens/" + id, null, null, ADMIN), 404, "not_found");
    }

    @Test
    void anExpiredTokenIsRefusedThoughJustCached() throws InterruptedException {
        TestNar nar = pushed();
        String narinfo = "/vault/" + nar.hash() + ".narinfo";
        assertError(client.json("POST", "/api/v1/caches/vault/tokens", "{\"name\":\"old\",\"scope\":\"read\","
                + "\"expiresAt\":\"" + Instant.now().minusSeconds(60) + "\"}", ADMIN), 400, "invalid_expiry");
        assertThat(client.get("/api/v1/caches/vault/tokens", ADMIN).body()).doesNotContain("\"name\":\"old\"");

        Instant expiry = Instant.now().plusSeconds(3);
        var created = create("{\"name\":\"brief\",\"scope\":\"read\",\"expiresAt\":\"" + expiry + "\"}");
        assertThat(created.body()).contains("\"expiresAt\":\"");
        String token = secret(created);
        assertThat(client.get(narinfo, token).statusCode()).isEqualTo(200);
        assertThat(client.get("/api/v1/caches/vault", token).statusCode()).isEqualTo(200);

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 200);
        assertError(client.get(narinfo, token), 401, "invalid_token");
        assertError(client.get("/api/v1/caches/vault", token), 401, "invalid_token");
    }

    private TestNar pushed() {
        TestNar nar = TestNar.of(TestNar.randomHash(), "kept", "kept", Compression.ZSTD);
        assertThat(client.push("vault", nar, ADMIN)).isEqualTo(201);
        return nar;
    }

    private HttpResponse<String> create(String json) {
        var response = client.json("POST", "/api/v1/caches/vault/tokens", json, ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response;
    }

    private static String secret(HttpResponse<String> created) {
        return field(created.body(), "\"token\":\"(pcr_[^\"]+)\"");
    }

    private static String field(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return m.group(1);
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("\"error\":\"" + code + "\"");
    }
}
