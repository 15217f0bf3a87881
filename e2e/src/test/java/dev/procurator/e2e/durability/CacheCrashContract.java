package dev.procurator.e2e.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.testing.NixSandbox;
import dev.procurator.common.testing.RequiresTool;
import dev.procurator.e2e.ServiceJar;

/**
 * The cache service's jar killed with SIGKILL and started again on the same data (and database): what it acknowledged
 * is still served, and an upload cut off by the kill leaves nothing visible. Run on the embedded H2 database and on
 * PostgreSQL by the subclasses.
 */
@RequiresTool("nix")
abstract class CacheCrashContract {

    static final String ADMIN = "pcr_cache-crash-" + UUID.randomUUID();
    private static final Pattern FIELD = Pattern.compile("(?m)^(\\w+): (.*)$");

    /** Kept across this class's tests (and restarts), as a real installation keeps its data dir. */
    @TempDir
    static Path dataDir;

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ServiceJar cache;

    /** The service's environment beyond the admin token: the database. */
    abstract Map<String, String> database();

    @AfterEach
    void stopCache() throws Exception {
        if (cache != null) {
            cache.close();
        }
    }

    @Test
    void everyPathAcknowledgedBeforeAKillIsServedAfterIt() throws Exception {
        NixSandbox pusher = new NixSandbox(work.resolve("pusher"));
        String root = pusher.build(closure("ack", 20, 20_000));
        List<String> paths = List.of(pusher.nix(work, "path-info", "-r", root).requireSuccess().stdout().split("\\s+"));
        assertThat(paths).hasSize(21);
        Path netrc = netrc();

        start();
        // As the issue reported it: the client's default compression (xz), acknowledged, then killed at once.
        ProcessResult push = pusher.nix(work, "copy", "--option", "netrc-file", netrc.toString(),
                "--to", cache.url + "/main", root);
        cache.kill();
        assertThat(push.exitCode()).as(push.stderr()).isZero();

        start();
        for (String path : paths) {
            assertServedWhole(path);
        }
        assertSignedPullVerifies(root);
    }

    @Test
    void anUploadCutOffByAKillLeavesNothingAndTheSamePushThenSucceeds() throws Exception {
        NixSandbox pusher = new NixSandbox(work.resolve("pusher"));
        String root = pusher.build(closure("cut", 1, 60 * 1024 * 1024));
        String big = pusher.nix(work, "path-info", "-r", root).requireSuccess().stdout().lines()
                .filter(p -> !p.equals(root)).findFirst().orElseThrow();
        Path netrc = netrc();

        start();
        Process copy = nixProcess(pusher, "copy", "--option", "netrc-file", netrc.toString(),
                "--to", cache.url + "/main?compression=zstd", root);
        Path partial = awaitPartialUpload(copy);
        cache.kill();
        assertThat(copy.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(copy.exitValue()).as("the push failed with the service").isNotZero();
        assertThat(partial).as("the cut-off upload was still a temp file").exists();

        start();
        assertThat(partial).as("removed at start").doesNotExist();
        assertThat(get("/main/" + big.substring(11, 43) + ".narinfo").statusCode()).isEqualTo(404);
        assertEveryStoredNarIsWhole();

        // The client remembers nothing of the failed push (its narinfo cache is fresh), so it asks again.
        NixSandbox again = new NixSandbox(work.resolve("pusher-again"));
        ProcessResult retry = again.nix(work, "copy", "--option", "netrc-file", netrc.toString(),
                "--to", cache.url + "/main?compression=zstd", root);
        assertThat(retry.exitCode()).as(retry.stderr()).isZero();
        assertServedWhole(big);
        assertSignedPullVerifies(root);
    }

    // ---- helpers

    private void start() throws Exception {
        Map<String, String> env = new HashMap<>(database());
        env.put("PROCURATOR_ADMIN_TOKEN", ADMIN);
        cache = ServiceJar.start("cache-service", dataDir, env).awaitHealthy(Duration.ofMinutes(3));
    }

    /** {@code leaves} paths of {@code bytes} random bytes each, and a root referencing them all. */
    private static String closure(String name, int leaves, int bytes) {
        String salt = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return """
                let
                  mk = name: script: derivation {
                    inherit name; system = "x86_64-linux"; builder = "/bin/busybox"; args = [ "sh" "-c" script ];
                  };
                  leaves = builtins.genList (i: mk "SALT-${toString i}"
                    "/bin/busybox mkdir -p $out; echo SALT ${toString i} > $out/id; /bin/busybox head -c BYTES /dev/urandom > $out/data") LEAVES;
                in mk "SALT-root" "/bin/busybox mkdir -p $out; echo ${builtins.concatStringsSep " " (map toString leaves)} > $out/refs"
                """.replace("SALT", salt).replace("LEAVES", Integer.toString(leaves))
                .replace("BYTES", Integer.toString(bytes));
    }

    private Path netrc() throws IOException {
        return Files.writeString(work.resolve("netrc"), "machine 127.0.0.1\nlogin procurator\npassword " + ADMIN + "\n");
    }

    private Process nixProcess(NixSandbox sandbox, String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of("nix"), Stream.of(args)).toList())
                .directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("nix-copy.log").toFile());
        builder.environment().putAll(sandbox.environment());
        return builder.start();
    }

    /** Waits until the service is receiving an upload (its temp file holds some MiB), then returns that file. */
    private Path awaitPartialUpload(Process copy) throws Exception {
        Path temp = dataDir.resolve("tmp");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline && copy.isAlive()) {
            try (Stream<Path> files = Files.list(temp)) {
                for (Path file : files.toList()) {
                    if (Files.size(file) >= 4 * 1024 * 1024) {
                        return file;
                    }
                }
            } catch (IOException gone) {
                // a file renamed or deleted while listed
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no upload in progress seen; nix copy:\n"
                + Files.readString(work.resolve("nix-copy.log")));
    }

    /** The path's narinfo is served, and its NAR file is served whole (its sha256 is its FileHash). */
    private void assertServedWhole(String storePath) throws Exception {
        HttpResponse<byte[]> narinfo = get("/main/" + storePath.substring(11, 43) + ".narinfo");
        assertThat(narinfo.statusCode()).as(storePath).isEqualTo(200);
        Map<String, String> fields = new HashMap<>();
        Matcher line = FIELD.matcher(new String(narinfo.body(), StandardCharsets.UTF_8));
        while (line.find()) {
            fields.put(line.group(1), line.group(2));
        }
        assertThat(fields.get("StorePath")).isEqualTo(storePath);
        HttpResponse<byte[]> nar = get("/main/" + fields.get("URL"));
        assertThat(nar.statusCode()).as(fields.get("URL")).isEqualTo(200);
        assertThat("sha256:" + nixBase32(sha256(nar.body()))).isEqualTo(fields.get("FileHash"));
    }

    /** Every NAR file in the store is complete: its bytes hash to the FileHash its name carries. */
    private void assertEveryStoredNarIsWhole() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir.resolve("nar"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                assertThat(nixBase32(sha256(Files.readAllBytes(file)))).as(name).isEqualTo(name.substring(0, 52));
            }
        }
    }

    /** Another machine (a fresh store, a fresh client cache) pulls the closure with signatures required. */
    private void assertSignedPullVerifies(String root) throws Exception {
        String info = new String(get("/api/v1/caches/main").body(), StandardCharsets.UTF_8);
        Matcher key = Pattern.compile("\"publicKey\":\"([^\"]+)\"").matcher(info);
        assertThat(key.find()).as(info).isTrue();
        NixSandbox puller = new NixSandbox(work.resolve("puller-" + UUID.randomUUID()));
        String store = work.resolve("other-store-" + UUID.randomUUID()).toString();
        ProcessResult pull = puller.nix(work, "copy", "--from", cache.url + "/main", "--to", store,
                "--option", "require-sigs", "true", "--option", "trusted-public-keys", key.group(1), root);
        assertThat(pull.exitCode()).as(pull.stderr()).isZero();
        ProcessResult verify = puller.nix(work, "store", "verify", "--store", store, "-r",
                "--option", "trusted-public-keys", key.group(1), root);
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(cache.url + path)).timeout(Duration.ofMinutes(1)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nix's base32 (its own alphabet, least significant bits first), as NAR file names and hashes use it. */
    static String nixBase32(byte[] hash) {
        String alphabet = "0123456789abcdfghijklmnpqrsvwxyz";
        int length = (hash.length * 8 - 1) / 5 + 1;
        StringBuilder out = new StringBuilder(length);
        for (int n = length - 1; n >= 0; n--) {
            int bit = n * 5;
            int i = bit / 8;
            int j = bit % 8;
            int c = ((hash[i] & 0xff) >> j) | (i + 1 < hash.length ? (hash[i + 1] & 0xff) << (8 - j) : 0);
            out.append(alphabet.charAt(c & 0x1f));
        }
        return out.toString();
    }
}
