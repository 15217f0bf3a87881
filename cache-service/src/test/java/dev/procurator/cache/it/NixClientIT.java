package dev.procurator.cache.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.procurator.cache.support.CacheClient;
import dev.procurator.cache.support.NixEnv;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.testing.RequiresTool;

/**
 * The real nix client against the service (embedded H2): push with {@code nix copy --to}, pull into a fresh store,
 * substitution with signatures required, {@code nix path-info} and {@code nix store verify} on the HTTP store, every
 * compression, and private caches through a netrc. The closure is built once for the class.
 */
@RequiresTool("nix")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NixClientIT {

    static final String ADMIN = "nix-it-admin";

    @TempDir
    static Path temp;

    /** The machine that builds and pushes. */
    static NixEnv nix;
    /**
     * Another machine that pulls: its own client-side narinfo cache, since nix remembers the (unsigned) narinfos it
     * uploaded and would answer later queries from that memory instead of asking the server.
     */
    static NixEnv puller;
    /** app → lib → base, and app → blob (300 KiB) */
    static String app;
    static String lib;
    static String blob;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("procurator.data-dir", () -> temp.resolve("data").toString());
        registry.add("procurator.admin-token", () -> ADMIN);
    }

    @BeforeAll
    static void buildClosure() {
        nix = new NixEnv(temp.resolve("nix"));
        puller = new NixEnv(temp.resolve("puller"));
        // The salt differs per run so the client's own store never already holds these paths from a previous run's
        // substitution; the build itself takes a fraction of a second.
        List<String> outs = nix.build(NixEnv.closureFlake(UUID.randomUUID().toString().substring(0, 8), 300),
                "app", "lib", "blob");
        app = outs.get(0);
        lib = outs.get(1);
        blob = outs.get(2);
    }

    @LocalServerPort
    int port;

    CacheClient client;

    @BeforeEach
    void client() {
        client = new CacheClient(port);
    }

    String url(String cache) {
        return "http://127.0.0.1:" + port + "/" + cache;
    }

    String publicKey(String cache) {
        String body = client.get("/api/v1/caches/" + cache, ADMIN).body();
        Matcher m = Pattern.compile("\"publicKey\":\"([^\"]+)\"").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    void createCache(String name, boolean isPublic) {
        var response = client.json("POST", "/api/v1/caches", "{\"name\":\"" + name + "\",\"public\":" + isPublic + "}",
                ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    String token(String cache, String scope) {
        var response = client.json("POST", "/api/v1/caches/" + cache + "/tokens",
                "{\"name\":\"nix-" + scope + "\",\"scope\":\"" + scope + "\"}", ADMIN);
        Matcher m = Pattern.compile("\"token\":\"(pcr_[^\"]+)\"").matcher(response.body());
        assertThat(m.find()).as(response.body()).isTrue();
        return m.group(1);
    }

    void push(String cache, String compression, Path netrc) {
        nix.ok("nix", "copy", "--option", "netrc-file", netrc.toString(), "--to",
                url(cache) + "?compression=" + compression, app);
    }

    @Test
    void pushThenCopyIntoAFreshStoreWithSignaturesRequired() {
        push("main", "zstd", nix.netrc("admin", ADMIN));
        String key = publicKey("main");

        Path store = temp.resolve("fresh-store");
        puller.ok("nix", "copy", "--from", url("main"), "--to", store.toString(),
                "--option", "trusted-public-keys", key, "--option", "require-sigs", "true", app);
        ProcessResult listed = puller.ok("nix", "path-info", "-r", "--store", store.toString(), app);
        assertThat(listed.stdout()).contains(app, lib, blob);

        // A client trusting another key refuses the same paths.
        ProcessResult untrusted = puller.run("nix", "copy", "--from", url("main"), "--to",
                temp.resolve("untrusting-store").toString(), "--option", "trusted-public-keys",
                "other-1:" + key.substring(key.indexOf(':') + 1).replace('A', 'B'), "--option", "require-sigs", "true",
                app);
        assertThat(untrusted.exitCode()).isNotZero();
        assertThat(untrusted.stderr()).contains("lacks a valid signature");
    }

    @Test
    void substitutesThroughSubstitutersWithRequiredSignatures() {
        push("main", "zstd", nix.netrc("admin", ADMIN));
        Path store = temp.resolve("substituting-store");
        puller.ok("nix", "build", "--no-link", "--store", store.toString(), "--option", "substituters", url("main"),
                "--option", "trusted-public-keys", publicKey("main"), "--option", "require-sigs", "true", app);
        assertThat(puller.ok("nix", "path-info", "-r", "--store", store.toString(), app).stdout()).contains(lib, blob);
    }

    @Test
    void pathInfoAndStoreVerifyOnTheHttpStore() {
        push("main", "zstd", nix.netrc("admin", ADMIN));
        ProcessResult info = puller.ok("nix", "path-info", "-r", "--json", "--store", url("main"), app);
        assertThat(info.stdout()).contains(app, lib, blob, "\"url\":\"nar/", "procurator-main-1:");

        puller.ok("nix", "store", "verify", "-r", "--store", url("main"), "--option", "trusted-public-keys",
                publicKey("main"), app);
        ProcessResult unsigned = puller.run("nix", "store", "verify", "--store", url("main"), "--option",
                "trusted-public-keys", "", app);
        assertThat(unsigned.exitCode()).as("without the key the path is untrusted").isNotZero();
        assertThat(unsigned.stderr()).contains("untrusted");
    }

    @Test
    void xzAndUncompressedCachesRoundTrip() {
        for (String compression : List.of("xz", "none")) {
            String cache = "c-" + compression;
            createCache(cache, true);
            push(cache, compression, nix.netrc("admin", ADMIN));
            String narinfo = client.get("/" + cache + "/" + blob.substring(11, 43) + ".narinfo", null).body();
            assertThat(narinfo).contains("Compression: " + compression);
            Path store = temp.resolve("store-" + compression);
            puller.ok("nix", "copy", "--from", url(cache), "--to", store.toString(),
                    "--option", "trusted-public-keys", publicKey(cache), "--option", "require-sigs", "true", app);
            puller.ok("nix", "store", "verify", "-r", "--store", store.toString(), "--option", "trusted-public-keys",
                    publicKey(cache), app);
        }
    }

    @Test
    void privateCacheThroughNetrcTokens() {
        createCache("private", false);
        Path writer = nix.netrc("writer", token("private", "write"));
        Path reader = nix.netrc("reader", token("private", "read"));
        Path readerOfMain = nix.netrc("main-writer", token("main", "write"));

        ProcessResult anonymousPush = nix.run("nix", "copy", "--to", url("private") + "?compression=zstd", app);
        assertThat(anonymousPush.exitCode()).isNotZero();
        assertThat(anonymousPush.stderr()).contains("HTTP error 401");
        ProcessResult readerPush = nix.run("nix", "copy", "--option", "netrc-file", reader.toString(), "--to",
                url("private") + "?compression=zstd", app);
        assertThat(readerPush.exitCode()).isNotZero();
        assertThat(readerPush.stderr()).contains("HTTP error 403");
        push("private", "zstd", writer);

        String key = publicKey("private");
        ProcessResult anonymousPull = puller.run("nix", "copy", "--from", url("private"), "--to",
                temp.resolve("anon-store").toString(), "--option", "trusted-public-keys", key, app);
        assertThat(anonymousPull.exitCode()).isNotZero();
        ProcessResult otherCacheToken = puller.run("nix", "copy", "--option", "netrc-file", readerOfMain.toString(),
                "--from", url("private"), "--to", temp.resolve("other-store").toString(),
                "--option", "trusted-public-keys", key, app);
        assertThat(otherCacheToken.exitCode()).isNotZero();
        puller.ok("nix", "copy", "--option", "netrc-file", reader.toString(), "--from", url("private"), "--to",
                temp.resolve("reader-store").toString(), "--option", "trusted-public-keys", key,
                "--option", "require-sigs", "true", app);
    }

    @Test
    void rangeRequestsOnAPushedNar() {
        createCache("ranges", true);
        push("ranges", "none", nix.netrc("admin", ADMIN));
        String narinfo = client.get("/ranges/" + blob.substring(11, 43) + ".narinfo", null).body();
        Matcher url = Pattern.compile("URL: (\\S+)").matcher(narinfo);
        assertThat(url.find()).isTrue();
        HttpResponse<byte[]> whole = bytes("/ranges/" + url.group(1), null);
        assertThat(whole.statusCode()).isEqualTo(200);
        byte[] all = whole.body();
        HttpResponse<byte[]> part = bytes("/ranges/" + url.group(1), "bytes=1000-65535");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(all, 1000, 65536));
        assertThat(new String(Arrays.copyOfRange(all, 8, 21), StandardCharsets.US_ASCII)).isEqualTo("nix-archive-1");
    }

    private HttpResponse<byte[]> bytes(String path, String range) {
        try {
            var builder = java.net.http.HttpRequest.newBuilder(java.net.URI.create(client.base() + path));
            if (range != null) {
                builder.header("Range", range);
            }
            return java.net.http.HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
