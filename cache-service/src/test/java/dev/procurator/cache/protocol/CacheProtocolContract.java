package dev.procurator.cache.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.nix.NarInfo;
import dev.procurator.cache.nix.SigningKey;
import dev.procurator.cache.support.CacheClient;
import dev.procurator.cache.support.TestNar;

/**
 * The protocol and its integrity rules over real HTTP through the service's front: every kind of bad input gets a 4xx
 * JSON error and leaves the cache as it was. Run on each database, since the front serves requests on its event loop
 * with the embedded one and on virtual threads with PostgreSQL. (The real nix client's side is {@code NixClientIT}.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class CacheProtocolContract {

    static final String ADMIN = "test-admin-token";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("procurator.data-dir", () -> dataDir.toString());
        registry.add("procurator.admin-token", () -> ADMIN);
        registry.add("procurator.cache.max-upload-size", () -> "1MB");
    }

    @LocalServerPort
    int port;

    @Autowired
    dev.procurator.cache.binarycache.CacheRegistry registry;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    CacheClient client;

    @BeforeEach
    void client() {
        client = new CacheClient(port);
    }

    @Test
    void servesNixCacheInfoAndThePublicKeyOfMain() {
        var info = client.get("/main/nix-cache-info", null);
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).isEqualTo("StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 40\n");
        var api = client.get("/api/v1/caches/main", null);
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).contains("\"name\":\"main\"").contains("\"publicKey\":\"procurator-main-1:");
        assertError(client.get("/nosuchcache/nix-cache-info", null), 404, "not_found");
    }

    @Test
    void storesAndServesSignedPathsInEveryCompression() {
        for (Compression compression : Compression.values()) {
            TestNar dep = TestNar.of(TestNar.randomHash(), "dep-" + compression.narinfoName(), "dep", compression);
            TestNar app = TestNar.of(TestNar.randomHash(), "app", "app " + compression, compression,
                    dep.baseName());
            assertThat(client.push("main", dep, null)).as("anonymous push").isEqualTo(401);
            assertThat(client.push("main", dep, ADMIN)).isEqualTo(201);
            assertThat(client.push("main", app, ADMIN)).isEqualTo(201);

            var narinfo = client.get("/main/" + app.hash() + ".narinfo", null);
            assertThat(narinfo.statusCode()).isEqualTo(200);
            assertThat(narinfo.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/x-nix-narinfo"));
            Matcher sig = Pattern.compile("\nSig: (\\S+)\n").matcher(narinfo.body());
            assertThat(sig.find()).isTrue();
            String publicKey = registry.require("main").publicKey();
            assertThat(SigningKey.verify(publicKey, NarInfo.parse(narinfo.body()).fingerprint(), sig.group(1)))
                    .as("signature verifies with the cache's public key").isTrue();

            var nar = client.get("/main/nar/" + app.fileName(), null);
            assertThat(nar.statusCode()).isEqualTo(200);
            assertThat(nar.body().getBytes(StandardCharsets.ISO_8859_1).length).isGreaterThan(0);
            assertThat(client.send("HEAD", "/main/nar/" + app.fileName(), null, null, null).headers()
                    .firstValueAsLong("Content-Length")).hasValue(app.file().length);
        }
    }

    @Test
    void answersRangeRequestsOnNars() throws Exception {
        byte[] big = new byte[200_000];
        new Random(1).nextBytes(big);
        TestNar nar = TestNar.of(TestNar.randomHash(), "big", new String(big, StandardCharsets.ISO_8859_1),
                Compression.NONE);
        assertThat(client.push("main", nar, ADMIN)).isEqualTo(201);
        String path = "/main/nar/" + nar.fileName();
        int size = nar.file().length;

        var middle = rawGet(path, "bytes=100-199");
        assertThat(middle.status).isEqualTo(206);
        assertThat(middle.headers.toLowerCase()).contains("content-range: bytes 100-199/" + size); // names: any case
        assertThat(middle.body).isEqualTo(Arrays.copyOfRange(nar.file(), 100, 200));

        var tail = rawGet(path, "bytes=-10");
        assertThat(tail.status).isEqualTo(206);
        assertThat(tail.body).isEqualTo(Arrays.copyOfRange(nar.file(), size - 10, size));

        var open = rawGet(path, "bytes=" + (size - 5) + "-");
        assertThat(open.body).isEqualTo(Arrays.copyOfRange(nar.file(), size - 5, size));

        var whole = rawGet(path, null);
        assertThat(whole.status).isEqualTo(200);
        assertThat(whole.body).isEqualTo(nar.file());

        var beyond = client.get(path, null, "Range", "bytes=" + size + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + size);
    }

    @Test
    void rejectsBadInputWithJsonErrorsAndChangesNothing() throws Exception {
        TestNar dep = TestNar.of(TestNar.randomHash(), "dep", "dep", Compression.ZSTD);
        TestNar nar = TestNar.of(TestNar.randomHash(), "bad", "some contents", Compression.ZSTD, dep.baseName());
        String narPath = "/main/nar/" + nar.fileName();
        String infoPath = "/main/" + nar.hash() + ".narinfo";

        // path traversal and malformed names
        assertError(put("/main/nar/..%2F..%2Fetc%2Fpasswd.nar", nar.file(), "application/x-nix-nar"), 400, null);
        assertError(put("/main/nar/" + nar.fileName() + ".bz2", nar.file(), "application/x-nix-nar"), 400,
                "invalid_nar_name");
        assertError(put("/main/nar/short.nar", nar.file(), "application/x-nix-nar"), 400, "invalid_nar_name");
        assertError(put("/main/not-a-hash.narinfo", nar.narinfo().getBytes(), "text/x-nix-narinfo"), 400,
                "invalid_store_hash");
        assertError(put("/main/" + "e".repeat(32) + ".narinfo", nar.narinfo().getBytes(), "text/x-nix-narinfo"),
                400, "invalid_store_hash");

        // wrong content type, over the size limit
        assertError(put(narPath, nar.file(), "application/json"), 415, "unsupported_media_type");
        assertError(put("/main/nar/" + "0".repeat(52) + ".nar", new byte[2 * 1024 * 1024], "application/x-nix-nar"),
                413, "too_large");

        // corrupt: the bytes do not match the name; the bytes are not zstd; the zstd holds no NAR
        TestNar other = TestNar.of(TestNar.randomHash(), "other", "other", Compression.ZSTD);
        assertError(put(narPath, other.file(), "application/x-nix-nar"), 400, "file_hash_mismatch");
        byte[] garbage = "definitely not zstd".getBytes();
        assertError(put("/main/nar/" + nixFileHash(garbage) + ".nar.zst", garbage, "application/x-nix-nar"), 400,
                "corrupt_nar");
        byte[] notNar = com.github.luben.zstd.Zstd.compress("plain text, no NAR header".getBytes());
        assertError(put("/main/nar/" + nixFileHash(notNar) + ".nar.zst", notNar, "application/x-nix-nar"), 400,
                "corrupt_nar");

        // truncated: the connection closes before Content-Length bytes arrived
        RawResponse truncated = rawPut(narPath, nar.file(), nar.file().length / 2);
        assertThat(truncated.status == 400 || truncated.status == -1).as("truncated upload: " + truncated.status)
                .isTrue();
        assertThat(client.get(narPath, null).statusCode()).isEqualTo(404);
        try (var temp = Files.list(dataDir.resolve("tmp"))) {
            assertThat(temp.toList()).as("no upload leftovers").isEmpty();
        }

        // narinfo before its NAR; malformed narinfos
        assertError(put(infoPath, nar.narinfo().getBytes(), "text/x-nix-narinfo"), 400, "nar_missing");
        assertThat(put(narPath, nar.file(), "application/x-nix-nar").statusCode()).isEqualTo(201);
        assertError(put(infoPath, nar.narinfo().replace("NarHash: ", "NarHosh: ").getBytes(), "text/x-nix-narinfo"),
                400, "malformed_narinfo");
        assertError(put(infoPath, "garbage without colon\n".getBytes(), "text/x-nix-narinfo"), 400, "malformed_narinfo");
        assertError(put(infoPath, nar.narinfo().replace("NarHash: sha256:", "NarHash: sha256:e").getBytes(),
                "text/x-nix-narinfo"), 400, "malformed_narinfo");
        assertError(put(infoPath, nar.narinfo().replace("Compression: zstd", "Compression: bzip2").getBytes(),
                "text/x-nix-narinfo"), 400, "malformed_narinfo");
        assertError(put(infoPath, nar.narinfo().getBytes(), "application/json"), 415, "unsupported_media_type");
        // hashes that do not describe the stored NAR
        String wrongNarSize = nar.narinfo().replace("NarSize: " + nar.nar().length, "NarSize: " + (nar.nar().length + 8));
        assertError(put(infoPath, wrongNarSize.getBytes(), "text/x-nix-narinfo"), 400, "nar_mismatch");
        String wrongNarHash = nar.narinfo().replace(nar.narHash(), other.narHash());
        assertError(put(infoPath, wrongNarHash.getBytes(), "text/x-nix-narinfo"), 400, "nar_mismatch");
        // a reference the cache lacks
        assertError(put(infoPath, nar.narinfo().getBytes(), "text/x-nix-narinfo"), 400, "missing_references");
        assertThat(client.get(infoPath, null).statusCode()).as("nothing visible after rejections").isEqualTo(404);

        // once the reference is there it is accepted; the same upload again is a no-op
        assertThat(client.push("main", dep, ADMIN)).isEqualTo(201);
        assertThat(put(infoPath, nar.narinfo().getBytes(), "text/x-nix-narinfo").statusCode()).isEqualTo(201);
        String served = client.get(infoPath, null).body();
        assertThat(put(infoPath, nar.narinfo().getBytes(), "text/x-nix-narinfo").statusCode()).isEqualTo(200);

        // the same path with different content: 409 and the stored path unchanged
        TestNar impostor = TestNar.of(nar.hash(), "bad", "other contents", Compression.ZSTD, dep.baseName());
        assertThat(put("/main/nar/" + impostor.fileName(), impostor.file(), "application/x-nix-nar").statusCode())
                .isEqualTo(201);
        assertError(put(infoPath, impostor.narinfo().getBytes(), "text/x-nix-narinfo"), 409, "path_exists");
        assertThat(client.get(infoPath, null).body()).isEqualTo(served);
    }

    @Test
    void refusesANarinfoWhoseNarWasEvictedElsewhereAfterItsUpload() {
        TestNar nar = TestNar.of(TestNar.randomHash(), "vanished", "vanished", Compression.ZSTD);
        String narPath = "/main/nar/" + nar.fileName();
        String infoPath = "/main/" + nar.hash() + ".narinfo";
        assertThat(put(narPath, nar.file(), "application/x-nix-nar").statusCode()).isEqualTo(201);
        // Another instance sharing the database evicts the NAR; this one still remembers having stored it.
        assertThat(jdbc.sql("DELETE FROM nar_file WHERE file_name = ?").param(nar.fileName()).update()).isEqualTo(1);

        assertError(put(infoPath, nar.narinfo().getBytes(), "text/x-nix-narinfo"), 400, "nar_missing");
        assertThat(client.get(infoPath, null).statusCode()).isEqualTo(404);
        assertThat(client.send("HEAD", narPath, null, null, null).statusCode()).as("forgotten here too").isEqualTo(404);
        assertThat(put(narPath, nar.file(), "application/x-nix-nar").statusCode()).isEqualTo(201);
        assertThat(put(infoPath, nar.narinfo().getBytes(), "text/x-nix-narinfo").statusCode()).isEqualTo(201);
    }

    @Test
    void privateCachesAndScopedTokens() {
        var created = client.json("POST", "/api/v1/caches", "{\"name\":\"team\",\"public\":false}", ADMIN);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).contains("\"public\":false");
        assertError(client.json("POST", "/api/v1/caches", "{\"name\":\"team\"}", ADMIN), 409, "cache_exists");
        assertError(client.json("POST", "/api/v1/caches", "{\"name\":\"../x\"}", ADMIN), 400, "invalid_name");
        assertError(client.json("POST", "/api/v1/caches", "{\"name\":\"x\"}", null), 401, null);

        String read = token("team", "read");
        String write = token("team", "write");
        String mainWrite = token("main", "write");
        TestNar nar = TestNar.of(TestNar.randomHash(), "secret", "secret", Compression.ZSTD);

        assertThat(client.push("team", nar, read)).isEqualTo(403);
        assertThat(client.push("team", nar, mainWrite)).as("a token of another cache").isEqualTo(403);
        assertThat(client.push("team", nar, write)).isEqualTo(201);

        String info = "/team/" + nar.hash() + ".narinfo";
        var anonymous = client.get(info, null);
        assertError(anonymous, 401, "unauthenticated");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Basic"));
        assertError(client.get("/api/v1/caches/team", null), 401, null);
        assertThat(client.get(info, read).statusCode()).isEqualTo(200);
        assertThat(client.get(info, write).statusCode()).isEqualTo(200);
        assertError(client.get(info, mainWrite), 403, "forbidden");
        assertError(client.get(info, "pcr_wrong"), 401, "invalid_token");
        String basic = java.util.Base64.getEncoder().encodeToString(("x:" + read).getBytes());
        assertThat(client.get(info, null, "Authorization", "Basic " + basic).statusCode()).isEqualTo(200);

        // read tokens cannot manage tokens; revoking takes effect at once
        assertError(client.json("POST", "/api/v1/caches/team/tokens", "{\"name\":\"x\",\"scope\":\"read\"}", read),
                403, "forbidden");
        assertError(client.json("POST", "/api/v1/caches/team/tokens", "{\"name\":\"x\",\"scope\":\"root\"}", ADMIN),
                400, "invalid_scope");
        String tokens = client.get("/api/v1/caches/team/tokens", ADMIN).body();
        assertThat(tokens).doesNotContain(read).contains("\"scope\":\"read\"");
        Matcher id = Pattern.compile("\"id\":(\\d+),\"name\":\"read-token\"").matcher(tokens);
        assertThat(id.find()).isTrue();
        assertThat(client.send("DELETE", "/api/v1/caches/team/tokens/" + id.group(1), null, null, ADMIN).statusCode())
                .isEqualTo(204);
        assertError(client.get(info, read), 401, "invalid_token");
    }

    @Test
    void dashboardShowsCachesPushesSearchClosuresAndPins() {
        TestNar dep = TestNar.of(TestNar.randomHash(), "dash-dep", "dep", Compression.ZSTD);
        TestNar app = TestNar.of(TestNar.randomHash(), "dash-app", "app", Compression.ZSTD, dep.baseName());
        assertThat(client.push("main", dep, ADMIN)).isEqualTo(201);
        assertThat(client.push("main", app, ADMIN)).isEqualTo(201);
        assertThat(client.json("POST", "/api/v1/caches/main/pins",
                "{\"name\":\"dash-vm\",\"storePath\":\"" + app.storePath() + "\"}", ADMIN).statusCode()).isEqualTo(201);

        String page = client.get("/?cache=main", null).body();
        assertThat(page).contains("<title>Binary cache</title>", "id=\"caches\"", ">main</a>",
                registry.require("main").publicKey(), app.storePath(), "dash-vm", "id=\"hit-history\"");
        assertThat(client.get("/?cache=main&q=" + app.hash(), null).body()).contains("id=\"search-results\"",
                app.storePath());
        assertThat(client.get("/?cache=main&q=no-such-name-anywhere", null).body()).contains("No path matches.");
        String closure = client.get("/closure?cache=main&path=" + app.storePath(), null).body();
        assertThat(closure).contains("<title>Closure · Binary cache</title>", app.storePath(), dep.storePath(),
                "<dd>2</dd>");

        assertThat(client.json("POST", "/api/v1/caches", "{\"name\":\"hidden\",\"public\":false}", ADMIN)
                .statusCode()).isEqualTo(201);
        TestNar secret = TestNar.of(TestNar.randomHash(), "dash-secret", "secret", Compression.ZSTD);
        assertThat(client.push("hidden", secret, ADMIN)).isEqualTo(201);
        String anonymous = client.get("/?cache=hidden", null).body();
        assertThat(anonymous).contains("This cache is private").doesNotContain(secret.storePath());
        assertThat(client.get("/?cache=hidden", ADMIN).body()).contains(secret.storePath());
        assertThat(client.get("/closure?cache=hidden&path=" + secret.hash(), null).statusCode()).isEqualTo(401);
    }

    private String token(String cache, String scope) {
        var response = client.json("POST", "/api/v1/caches/" + cache + "/tokens",
                "{\"name\":\"" + scope + "-token\",\"scope\":\"" + scope + "\"}", ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Matcher m = Pattern.compile("\"token\":\"(pcr_[^\"]+)\"").matcher(response.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> put(String path, byte[] body, String contentType) {
        return client.send("PUT", path, body, contentType, ADMIN);
    }

    @Test
    void answersPipelinedRequestsInOrderWhetherServedByTheFrontOrRelayed() throws IOException {
        String miss = "/main/" + TestNar.randomHash() + ".narinfo";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            String requests = "GET /main/nix-cache-info HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET /api/v1/caches/main HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET " + miss + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            RawResponse info = readResponse(in);
            RawResponse api = readResponse(in);
            RawResponse notFound = readResponse(in);
            assertThat(info.status).isEqualTo(200);
            assertThat(new String(info.body, StandardCharsets.US_ASCII)).startsWith("StoreDir: /nix/store");
            assertThat(api.status).isEqualTo(200);
            assertThat(new String(api.body, StandardCharsets.UTF_8)).contains("\"publicKey\"");
            assertThat(notFound.status).isEqualTo(404);
            assertThat(in.read()).as("closed after the request that asked for it").isEqualTo(-1);
        }
    }

    @Test
    void asksForANarBodyOnlyWhenItsHeadersPass() throws IOException {
        TestNar nar = TestNar.of(TestNar.randomHash(), "continued", "continued", Compression.ZSTD);
        String put = "PUT /main/nar/" + nar.fileName() + " HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
                + "Content-Type: application/x-nix-nar\r\nContent-Length: " + nar.file().length + "\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            // a wrong token: answered at once, no body asked for
            out.write((put + "Authorization: Bearer wrong\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            RawResponse refused = readResponse(in);
            assertThat(refused.status).isEqualTo(401);
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            String headers = put + "Authorization: Bearer " + ADMIN + "\r\n\r\n";
            out.write(headers.getBytes(StandardCharsets.US_ASCII));
            assertThat(readLine(in, "\r\n\r\n")).startsWith("HTTP/1.1 100 Continue");
            out.write(nar.file());
            assertThat(readResponse(in).status).isEqualTo(201);
            // stored now: the same upload again is answered 200, whenever its body arrives
            out.write(headers.getBytes(StandardCharsets.US_ASCII));
            assertThat(readLine(in, "\r\n\r\n")).startsWith("HTTP/1.1 100 Continue");
            out.write(nar.file());
            assertThat(readResponse(in).status).isEqualTo(200);
        }
        assertThat(client.get("/main/nar/" + nar.fileName(), null).body().length()).isPositive();
    }

    @Test
    void refusesOversizedBodiesWithAnAnswerTheClientReadsWhileStillSending() throws Exception {
        byte[] body = new byte[8 * 1024 * 1024]; // far over the 1 MiB limit and over the socket buffers
        refuseWhileSending("/main/" + TestNar.randomHash() + ".narinfo", "text/x-nix-narinfo", body);
        refuseWhileSending("/main/nar/" + "0".repeat(52) + ".nar", "application/x-nix-nar", body);
    }

    private void refuseWhileSending(String path, String contentType, byte[] body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            var sending = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    out.write(("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN
                            + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            RawResponse refused = readResponse(in);
            assertThat(refused.status).as(path).isEqualTo(413);
            assertThat(new String(refused.body, StandardCharsets.UTF_8)).contains("\"error\":\"too_large\"");
            assertThat(refused.headers.toLowerCase()).contains("connection: close");
            sending.get(20, java.util.concurrent.TimeUnit.SECONDS); // the server read the rest instead of resetting
            assertThat(in.read()).as("closed once the body is through").isEqualTo(-1);
        }
    }

    /** One response off a keep-alive stream, its body delimited by Content-Length or chunked. */
    private static RawResponse readResponse(InputStream in) throws IOException {
        String head = readLine(in, "\r\n\r\n");
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        byte[] body;
        if (length.find()) {
            body = in.readNBytes(Integer.parseInt(length.group(1)));
        } else {
            assertThat(head.toLowerCase()).contains("transfer-encoding: chunked");
            var chunks = new java.io.ByteArrayOutputStream();
            int size;
            while ((size = Integer.parseInt(readLine(in, "\r\n").strip(), 16)) > 0) {
                chunks.write(in.readNBytes(size));
                readLine(in, "\r\n");
            }
            readLine(in, "\r\n");
            body = chunks.toByteArray();
        }
        return new RawResponse(Integer.parseInt(head.substring(9, 12)), head, body);
    }

    private static String readLine(InputStream in, String end) throws IOException {
        StringBuilder line = new StringBuilder();
        while (!line.toString().endsWith(end)) {
            int c = in.read();
            assertThat(c).as("response so far: " + line).isNotNegative();
            line.append((char) c);
        }
        return line.toString();
    }

    static String nixFileHash(byte[] bytes) {
        return dev.procurator.cache.nix.NixBase32.encode(dev.procurator.cache.nix.NixHash.sha256().digest(bytes));
    }

    static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        if (code != null) {
            assertThat(response.body()).contains("\"error\":\"" + code + "\"");
        }
    }

    record RawResponse(int status, String headers, byte[] body) {
    }

    /** A GET over a plain socket, to see Range responses byte for byte. */
    private RawResponse rawGet(String path, String range) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + (range == null ? "" : "Range: " + range + "\r\n") + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    /** A PUT that announces {@code body.length} bytes but sends only {@code sent}, then half-closes. */
    private RawResponse rawPut(String path, byte[] body, int sent) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN
                    + "\r\nContent-Type: application/x-nix-nar\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, sent);
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes();
            return answer.length == 0 ? new RawResponse(-1, "", answer) : parse(answer);
        }
    }

    private static RawResponse parse(byte[] raw) {
        int split = 0;
        for (int i = 0; i + 3 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
                split = i;
                break;
            }
        }
        String headers = new String(raw, 0, split, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headers.substring(9, 12));
        return new RawResponse(status, headers, Arrays.copyOfRange(raw, split + 4, raw.length));
    }
}
