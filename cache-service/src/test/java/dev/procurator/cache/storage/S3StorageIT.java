package dev.procurator.cache.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.support.CacheClient;
import dev.procurator.cache.support.TestNar;

/**
 * The S3 backend against a real S3-compatible server (s3proxy, in-memory blob store) started by the test: NARs go
 * to the bucket, are served from it (whole and by range), and eviction deletes their objects.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3StorageIT {

    static final String ADMIN = "s3-admin";
    static final String ACCESS = "access-key";
    static final String SECRET = "secret-key";
    static S3Proxy s3proxy;

    @TempDir
    static Path dataDir;

    static synchronized String s3Endpoint() {
        if (s3proxy == null) {
            try {
                s3proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore())
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                        .endpoint(URI.create("http://127.0.0.1:0")).build();
                s3proxy.start();
                long deadline = System.currentTimeMillis() + 20_000;
                while (!"STARTED".equals(s3proxy.getState()) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                throw new IllegalStateException("s3proxy did not start", e);
            }
        }
        return "http://127.0.0.1:" + s3proxy.getPort();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("procurator.data-dir", () -> dataDir.toString());
        registry.add("procurator.admin-token", () -> ADMIN);
        registry.add("procurator.cache.storage.type", () -> "s3");
        registry.add("procurator.cache.storage.endpoint", S3StorageIT::s3Endpoint);
        registry.add("procurator.cache.storage.bucket", () -> "nars");
        registry.add("procurator.cache.storage.access-key", () -> ACCESS);
        registry.add("procurator.cache.storage.secret-key", () -> SECRET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3proxy != null) {
            s3proxy.stop();
        }
    }

    @LocalServerPort
    int port;

    List<String> objects() {
        try (S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(s3Endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .build()) {
            return s3.listObjectsV2(b -> b.bucket("nars")).contents().stream().map(S3Object::key).toList();
        }
    }

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
        assertThat(objects()).containsExactlyInAnyOrder("main/" + dep.fileName(), "main/" + nar.fileName());
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
        assertThat(objects()).isEmpty();
        assertThat(client.get("/main/nar/" + nar.fileName(), null).statusCode()).isEqualTo(404);
    }
}
