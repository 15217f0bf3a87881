package dev.procurator.cache.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.support.CacheClient;
import dev.procurator.cache.support.S3ProxyServer;
import dev.procurator.cache.support.TestNar;

/**
 * The S3 backend against a real S3-compatible server (s3proxy, in-memory blob store) started by the test: NARs go
 * to the bucket, are served from it (whole and by range), and eviction deletes their objects.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3StorageIT {

    static final String ADMIN = "s3-admin";
    static final S3ProxyServer s3 = S3ProxyServer.start();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("procurator.data-dir", () -> dataDir.toString());
        registry.add("procurator.admin-token", () -> ADMIN);
        s3.register(registry, "nars");
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @LocalServerPort
    int port;

    @Test
    void storesServesAndEvictsNarsInTheBucket() throws Exception {
        CacheClient client = new CacheClient(port);
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        TestNar dep = TestNar.of(TestNar.randomHash(), "dep", "dep", Compression.XZ);
        TestNar nar = TestNar.of(TestNar.randomHash(), "big", new String(bytes, StandardCharsets.ISO_8859_1),
                Compression.ZSTD, dep.baseName());
        assertThat(client.push("main", dep, ADMIN)).isEqualTo(201);
        assertThat(client.push("main", nar, ADMIN)).isEqualTo(201);
        assertThat(s3.objects("nars")).containsExactlyInAnyOrder("main/" + dep.fileName(), "main/" + nar.fileName());
        try (var temp = Files.list(dataDir.resolve("tmp"))) {
            assertThat(temp.toList()).as("staging files are removed").isEmpty();
        }

        var whole = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(client.base() + "/main/nar/" + nar.fileName())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(nar.file());
        var part = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(client.base() + "/main/nar/" + nar.fileName())).header("Range", "bytes=100-4195").build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(nar.file(), 100, 4196));
        assertThat(client.get("/main/" + nar.hash() + ".narinfo", null).body()).contains("Sig: procurator-main-1:");

        assertThat(client.json("PATCH", "/api/v1/caches/main", "{\"maxSizeBytes\":1}", ADMIN).statusCode())
                .isEqualTo(200);
        assertThat(client.json("POST", "/api/v1/caches/main/gc", null, ADMIN).body()).contains("\"evictedPaths\":2");
        assertThat(s3.objects("nars")).isEmpty();
        assertThat(client.get("/main/nar/" + nar.fileName(), null).statusCode()).isEqualTo(404);
    }
}
