package dev.procurator.e2e.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.procurator.common.testing.RequiresTool;
import dev.procurator.common.testing.TestDatabase;
import dev.procurator.e2e.ServiceJar;

/**
 * The forge's acknowledgments survive a crash: the real jar is killed with SIGKILL at the worst moments and
 * restarted, on the embedded H2 default and on PostgreSQL. Right after {@code git push} returns, the refs and the
 * push event are there after the restart and the webhook is delivered then; in the middle of a large push, the
 * server's repository is {@code git fsck --strict} clean with nothing of the push visible, and the same push then
 * succeeds, with one push event.
 */
@RequiresTool("git")
class ForgeCrashIT {

    private static final String ADMIN = "pcr_forge-crash-it-admin";
    private static final String SECRET = "crash-secret";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static TestDatabase db = new TestDatabase();

    @TempDir
    static Path work;

    /** A repository of ~48 MiB of incompressible files in three commits, pushed by the large-push test. */
    static Path large;

    @BeforeAll
    static void generateLargeRepository() throws Exception {
        large = work.resolve("large");
        git(work, "init", "-q", "-b", "main", large.toString());
        Random random = new Random(42);
        byte[] block = new byte[1024 * 1024];
        for (int commit = 0; commit < 3; commit++) {
            for (int file = 0; file < 16; file++) {
                random.nextBytes(block);
                Files.write(large.resolve("blob-" + commit + "-" + file + ".bin"), block);
            }
            git(large, "add", "-A");
            git(large, "commit", "-q", "-m", "random data " + commit);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @RequiresTool("git")
    void killedRightAfterAPushLosesNeitherRefsNorEventNorWebhook(String database) throws Exception {
        String repo = "acked-" + database;
        Path data = work.resolve("forge-" + repo);
        try (Receiver receiver = new Receiver()) {
            ServiceJar forge = start(database, data);
            String hookId;
            Path tree = work.resolve(repo);
            String head;
            try {
                createRepo(forge, repo);
                hookId = api(forge, "POST", "/api/v1/repos/admin/" + repo + "/hooks",
                        Map.of("url", receiver.url(), "secret", SECRET)).get("id").asString();
                git(work, "init", "-q", "-b", "main", tree.toString());
                Files.writeString(tree.resolve("flake.nix"), "{ outputs = _: { }; }\n");
                git(tree, "add", "-A");
                git(tree, "commit", "-q", "-m", "acknowledged");
                head = git(tree, "rev-parse", "HEAD").strip();
                git(tree, "push", "-q", pushUrl(forge, repo), "main");
            } finally {
                forge.kill();
            }

            forge = start(database, data);
            try {
                JsonNode branches = api(forge, "GET", "/api/v1/repos/admin/" + repo + "/branches", null);
                assertThat(branches).hasSize(1);
                assertThat(branches.get(0).get("sha").asString()).isEqualTo(head);
                JsonNode deliveries = api(forge, "GET",
                        "/api/v1/repos/admin/" + repo + "/hooks/" + hookId + "/deliveries", null);
                assertThat(deliveries).hasSize(1);
                assertThat(deliveries.get(0).get("push").get("after").asString()).isEqualTo(head);

                receiver.accept = true;
                // An attempt cut short by the kill is retried once its claim's lease expires.
                await(Duration.ofSeconds(90), () -> receiver.delivered().stream().anyMatch(body -> body.contains(head)));
                assertThat(receiver.delivered()).hasSize(1);
                assertIntact(data, repo);
            } finally {
                forge.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void killedInTheMiddleOfALargePushLeavesTheRepositoryIntactAndThePushRepeatable(String database)
            throws Exception {
        String repo = "large-" + database;
        Path data = work.resolve("forge-" + repo);
        Path bare = data.resolve("repos/admin/" + repo + ".git");
        try (Receiver receiver = new Receiver()) {
            receiver.accept = true;
            ServiceJar forge = start(database, data);
            Process push;
            try {
                createRepo(forge, repo);
                api(forge, "POST", "/api/v1/repos/admin/" + repo + "/hooks",
                        Map.of("url", receiver.url(), "secret", SECRET));
                push = gitProcess(large, "push", "-q", pushUrl(forge, repo), "main").start();
                await(Duration.ofSeconds(60), () -> !push.isAlive() || receiving(bare));
                assertThat(push.isAlive()).as("the push was still under way when the forge was killed").isTrue();
            } finally {
                forge.kill();
            }
            assertThat(push.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(push.exitValue()).isNotZero();

            assertIntact(data, repo);
            assertThat(gitProcess(work, "--git-dir", bare.toString(), "rev-parse", "--verify", "-q", "refs/heads/main")
                    .start().waitFor()).as("no ref of the interrupted push").isNotZero();
            String objects = git(work, "--git-dir", bare.toString(), "count-objects", "-v");
            assertThat(objects).as("nothing of the interrupted push visible").contains("count: 0\n")
                    .contains("in-pack: 0\n");

            forge = start(database, data);
            try {
                git(large, "push", "-q", pushUrl(forge, repo), "main");
                assertThat(git(work, "--git-dir", bare.toString(), "rev-parse", "refs/heads/main").strip())
                        .isEqualTo(git(large, "rev-parse", "HEAD").strip());
                assertIntact(data, repo);
                await(Duration.ofSeconds(30), () -> receiver.delivered().size() == 1);
                Thread.sleep(1000);
                assertThat(receiver.delivered()).as("one push event, one delivery").hasSize(1);
            } finally {
                forge.close();
            }
        }
    }

    private static ServiceJar start(String database, Path data) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "PROCURATOR_ADMIN_TOKEN", ADMIN,
                "PROCURATOR_FORGE_WEBHOOK_INITIAL_BACKOFF", "200ms",
                "PROCURATOR_FORGE_WEBHOOK_MAX_BACKOFF", "1s",
                "PROCURATOR_FORGE_WEBHOOK_TIMEOUT", "1s",
                "PROCURATOR_FORGE_WEBHOOK_POLL_INTERVAL", "200ms"));
        if (database.equals("postgresql")) {
            env.put("PROCURATOR_DB_URL", db.jdbcUrl());
            env.put("PROCURATOR_DB_USER", db.username());
            env.put("PROCURATOR_DB_PASSWORD", db.password());
        }
        return ServiceJar.start("forge", data, env).awaitHealthy(Duration.ofMinutes(2));
    }

    /** JGit writes a push's pack to an {@code incoming_*} file before it indexes and renames it into place. */
    private static boolean receiving(Path bare) {
        for (Path dir : List.of(bare.resolve("objects"), bare.resolve("objects/pack"))) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.anyMatch(f -> f.getFileName().toString().startsWith("incoming_"))) {
                    return true;
                }
            } catch (IOException e) {
                // not created yet
            }
        }
        return false;
    }

    private static void assertIntact(Path data, String repo) throws Exception {
        Process fsck = gitProcess(work, "--git-dir", data.resolve("repos/admin/" + repo + ".git").toString(),
                "fsck", "--full", "--strict").redirectErrorStream(true).start();
        String out = new String(fsck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(fsck.waitFor()).as(out).isZero();
    }

    private static void createRepo(ServiceJar forge, String repo) throws Exception {
        api(forge, "POST", "/api/v1/repos", Map.of("name", repo, "private", true));
    }

    private static String pushUrl(ServiceJar forge, String repo) {
        return forge.url.replace("http://", "http://admin:" + ADMIN + "@") + "/admin/" + repo + ".git";
    }

    private static JsonNode api(ServiceJar forge, String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(forge.url + path))
                .header("Authorization", "Bearer " + ADMIN).timeout(Duration.ofSeconds(30));
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    private static ProcessBuilder gitProcess(Path dir, String... args) {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of("git"), Stream.of(args)).toList())
                .directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.put("HOME", work.resolve("home").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_AUTHOR_NAME", "Crash Test");
        env.put("GIT_AUTHOR_EMAIL", "crash@example.com");
        env.put("GIT_COMMITTER_NAME", "Crash Test");
        env.put("GIT_COMMITTER_EMAIL", "crash@example.com");
        return builder;
    }

    private static String git(Path dir, String... args) throws Exception {
        Process process = gitProcess(dir, args).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("git " + String.join(" ", args) + ":\n" + out).isZero();
        return out;
    }

    private static void await(Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within " + within).isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    /** A webhook receiver that checks signatures, refuses (500) until {@code accept}, and keeps what it accepted. */
    private static final class Receiver implements AutoCloseable {

        private final HttpServer server;
        private final List<String> delivered = new CopyOnWriteArrayList<>();
        volatile boolean accept;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                boolean signed = sign(body).equals(exchange.getRequestHeaders().getFirst("X-Procurator-Signature-256"));
                int status = signed && accept ? 200 : 500;
                if (status == 200) {
                    delivered.add(new String(body, StandardCharsets.UTF_8));
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        List<String> delivered() {
            return delivered;
        }

        private static String sign(byte[] body) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
