package dev.procurator.forge.webhook;

import static dev.procurator.forge.TestForge.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.procurator.common.testing.RequiresTool;
import dev.procurator.forge.Api;
import dev.procurator.forge.GitCli;
import dev.procurator.forge.TestForge;

/**
 * Webhooks, commit statuses and the web UI against the embedded H2 database (GitHttpIT covers PostgreSQL): a real
 * receiver that checks signatures and fails the first attempt, retries, the delivery log, redelivery, and no
 * delivery lost across a deliverer restart.
 */
@RequiresTool("git")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ForgeApiIT {

    static final String SECRET = "s3cret-for-hmac";
    @RegisterExtension
    static final TestForge forge = new TestForge("api");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        forge.register(r);
        r.add("procurator.forge.webhook-initial-backoff", () -> "300ms");
        r.add("procurator.forge.webhook-poll-interval", () -> "200ms");
    }

    @LocalServerPort
    int port;

    @Autowired
    WebhookDeliverer deliverer;

    final GitCli git = forge.git();
    final JsonMapper json = JsonMapper.builder().build();
    Api api;

    @BeforeEach
    void api() {
        api = new Api(port);
    }

    String pushUrl(String repo) {
        return forge.pushUrl(repo);
    }

    Path repoWithCommits(String name, String... messages) {
        Api.Response created = api.post(ADMIN, "/api/v1/repos", Map.of("name", name, "private", true));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("fullName").asString()).isEqualTo("admin/" + name);
        return git.newWorkTree(forge.work().resolve(name), messages);
    }

    @Test
    void pushIsDeliveredSignedRetriedLoggedAndRedeliverable() throws Exception {
        Path work = repoWithCommits("hooked", "one", "two");
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET, 1)) {
            for (String bad : List.of("ftp://example.com/x", "file:///etc/passwd", "not a url", "http://", "")) {
                Api.Response r = api.post(ADMIN, "/api/v1/repos/admin/hooked/hooks",
                        Map.of("url", bad, "secret", SECRET, "events", List.of("push")));
                assertThat(r.status()).as(bad).isEqualTo(400);
                assertThat(r.json().get("error").asString()).isEqualTo("invalid_webhook_url");
            }
            assertThat(api.post(ADMIN, "/api/v1/repos/admin/hooked/hooks",
                    Map.of("url", receiver.url(), "events", List.of("tag"))).status()).isEqualTo(400);
            Api.Response hook = api.post(ADMIN, "/api/v1/repos/admin/hooked/hooks",
                    Map.of("url", receiver.url(), "secret", SECRET, "events", List.of("push")));
            assertThat(hook.status()).as(hook.body()).isEqualTo(201);
            assertThat(hook.body()).doesNotContain(SECRET);
            long hookId = hook.json().get("id").asLong();
            assertThat(api.get(ADMIN, "/api/v1/repos/admin/hooked/hooks").json()).hasSize(1);

            git.ok(work, "push", "-q", pushUrl("admin/hooked"), "main");
            String head = git.head(work);

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= 2);
            WebhookReceiver.Received first = receiver.received().get(0);
            WebhookReceiver.Received retry = receiver.received().get(1);
            assertThat(first.signatureValid()).isTrue();
            assertThat(first.answered()).isEqualTo(500);
            assertThat(retry.answered()).isEqualTo(200);
            assertThat(retry.header("X-Procurator-Event")).isEqualTo("push");
            assertThat(retry.header("X-Procurator-Delivery")).isEqualTo(first.header("X-Procurator-Delivery"));
            assertThat(retry.body()).isEqualTo(first.body());

            JsonNode payload = json.readTree(retry.body());
            assertThat(payload.get("event").asString()).isEqualTo("push");
            assertThat(payload.get("ref").asString()).isEqualTo("refs/heads/main");
            assertThat(payload.get("before").asString()).isEqualTo("0".repeat(40));
            assertThat(payload.get("after").asString()).isEqualTo(head);
            assertThat(payload.get("created").asBoolean()).isTrue();
            assertThat(payload.get("pusher").get("name").asString()).isEqualTo("admin");
            assertThat(payload.get("repository").get("full_name").asString()).isEqualTo("admin/hooked");
            assertThat(payload.get("repository").get("private").asBoolean()).isTrue();
            assertThat(payload.get("commits")).hasSize(2);
            assertThat(payload.get("commits").get(1).get("message").asString()).isEqualTo("two\n");
            assertThat(payload.get("head_commit").get("id").asString()).isEqualTo(head);

            String guid = first.header("X-Procurator-Delivery");
            String base = "/api/v1/repos/admin/hooked/hooks/" + hookId + "/deliveries";
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    "delivered".equals(api.get(ADMIN, base + "/" + guid).json().get("state").asString()));
            JsonNode delivery = api.get(ADMIN, base + "/" + guid).json();
            assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
            assertThat(delivery.get("attemptLog")).hasSize(2);
            assertThat(delivery.get("attemptLog").get(0).get("statusCode").asInt()).isEqualTo(500);
            assertThat(delivery.get("attemptLog").get(1).get("statusCode").asInt()).isEqualTo(200);
            assertThat(delivery.get("push").get("after").asString()).isEqualTo(head);

            Api.Response again = api.post(ADMIN, base + "/" + guid + "/redeliver", null);
            assertThat(again.status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() >= 3);
            WebhookReceiver.Received redelivered = receiver.received().get(2);
            assertThat(redelivered.header("X-Procurator-Delivery")).isEqualTo(again.json().get("id").asString())
                    .isNotEqualTo(guid);
            assertThat(redelivered.body()).isEqualTo(first.body());
            assertThat(redelivered.signatureValid()).isTrue();
            assertThat(api.post(ADMIN, base + "/no-such-delivery/redeliver", null).status()).isEqualTo(404);
        }
    }

    @Test
    void pendingDeliveriesSurviveADelivererRestart() throws Exception {
        Path work = repoWithCommits("durable", "one");
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET, 0)) {
            long hookId = api.post(ADMIN, "/api/v1/repos/admin/durable/hooks",
                    Map.of("url", receiver.url(), "secret", SECRET)).json().get("id").asLong();
            deliverer.stop();
            try {
                git.ok(work, "push", "-q", pushUrl("admin/durable"), "main");
                JsonNode pending = api.get(ADMIN, "/api/v1/repos/admin/durable/hooks/" + hookId + "/deliveries").json();
                assertThat(pending).hasSize(1);
                assertThat(pending.get(0).get("state").asString()).isEqualTo("pending");
                Thread.sleep(500);
                assertThat(receiver.received()).isEmpty();
            } finally {
                deliverer.start();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);
            assertThat(receiver.received().getFirst().signatureValid()).isTrue();
        }
    }

    @Test
    void commitStatusesAndTheirCombinedState() {
        Path work = repoWithCommits("statuses", "one");
        git.ok(work, "push", "-q", pushUrl("admin/statuses"), "main");
        String sha = git.head(work);
        String base = "/api/v1/repos/admin/statuses";

        assertThat(api.get(ADMIN, base + "/commits/" + sha + "/status").json().get("state").asString())
                .isEqualTo("pending");
        Api.Response created = api.post(ADMIN, base + "/statuses/" + sha, Map.of("state", "pending",
                "context", "ci/build", "description", "building", "targetUrl", "http://ci.example/1"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("targetUrl").asString()).isEqualTo("http://ci.example/1");
        api.post(ADMIN, base + "/statuses/" + sha, Map.of("state", "success", "context", "ci/build"));
        api.post(ADMIN, base + "/statuses/" + sha, Map.of("state", "success", "context", "ci/lint"));
        JsonNode combined = api.get(ADMIN, base + "/commits/" + sha + "/status").json();
        assertThat(combined.get("state").asString()).isEqualTo("success");
        assertThat(combined.get("totalCount").asInt()).isEqualTo(2);
        api.post(ADMIN, base + "/statuses/" + sha, Map.of("state", "error", "context", "ci/lint"));
        assertThat(api.get(ADMIN, base + "/commits/" + sha + "/status").json().get("state").asString())
                .isEqualTo("failure");
        assertThat(api.get(ADMIN, base + "/statuses/" + sha).json()).hasSize(4);

        assertThat(api.post(ADMIN, base + "/statuses/" + sha, Map.of("state", "done")).status()).isEqualTo(400);
        assertThat(api.post(ADMIN, base + "/statuses/" + sha, Map.of("state", "success", "targetUrl",
                "javascript:alert(1)")).status()).isEqualTo(400);
        assertThat(api.post(ADMIN, base + "/statuses/abc", Map.of("state", "success")).status()).isEqualTo(400);
        assertThat(api.post(ADMIN, base + "/statuses/" + "0".repeat(40), Map.of("state", "success")).status())
                .isEqualTo(404);
        assertThat(api.post(ADMIN, "/api/v1/repos/admin/none/statuses/" + sha, Map.of("state", "success")).status())
                .isEqualTo(404);
        String reader = api.userWithToken(ADMIN, "reader", "read");
        assertThat(api.put(ADMIN, base + "/collaborators/reader", Map.of("role", "write")).status()).isEqualTo(200);
        assertThat(api.post(reader, base + "/statuses/" + sha, Map.of("state", "success")).status()).isEqualTo(403);
        assertThat(api.get(reader, base + "/statuses/" + sha).status()).isEqualTo(200);
        assertThat(api.get(ADMIN, base + "/statuses/" + sha).json()).hasSize(4);
    }

    @Test
    void webPagesShowRealRepositoryData() throws IOException {
        Path work = repoWithCommits("ui", "first");
        Files.createDirectories(work.resolve("docs/sub"));
        Files.writeString(work.resolve("docs/sub/guide.md"), "# Guide\nhello <b>world</b>\n");
        Files.writeString(work.resolve("file.txt"), "replaced line\n");
        git.ok(work, "add", "-A");
        git.ok(work, "commit", "-q", "-m", "add guide, rewrite file");
        git.ok(work, "push", "-q", pushUrl("admin/ui"), "main");
        String sha = git.head(work);
        api.post(ADMIN, "/api/v1/repos/admin/ui/statuses/" + sha, Map.of("state", "success", "context", "ci"));

        Api.Response home = api.get(ADMIN, "/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains("admin/ui", "refs/heads/main");
        Api.Response page = api.get(ADMIN, "/admin/ui");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("add guide, rewrite file", sha.substring(0, 10), "badge status success",
                "id=\"files\"", ">docs/</a>");
        Api.Response commit = api.get(ADMIN, "/admin/ui/commit/" + sha);
        assertThat(commit.status()).as(commit.body()).isEqualTo(200);
        assertThat(commit.body()).contains("class=\"ln add\"", "class=\"ln del\"", "+replaced line", "-first",
                "docs/sub/guide.md", "+hello &lt;b&gt;world&lt;/b&gt;");
        assertThat(api.get(ADMIN, "/admin/ui/tree?path=docs/sub").body()).contains("id=\"files\"", ">guide.md</a>");
        assertThat(api.get(ADMIN, "/admin/ui/blob?path=docs/sub/guide.md").body()).contains("# Guide");
        assertThat(api.get(ADMIN, "/admin/ui/blob?path=../etc/passwd").status()).isEqualTo(400);
        assertThat(api.get(ADMIN, "/admin/ui/blob?path=missing.txt").status()).isEqualTo(404);
        assertThat(api.get(ADMIN, "/procurator/style.css").status()).isEqualTo(200);

        Api.Response anonymous = api.get(null, "/admin/ui");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.raw().headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Basic");

        assertThat(api.get(ADMIN, "/admin/ui/settings/hooks").body()).contains("Add a webhook");
        Api.Response crossSite = form("/admin/ui/settings/protection", "branch=main", "http://evil.example");
        assertThat(crossSite.status()).isEqualTo(403);
        Api.Response protect = form("/admin/ui/settings/protection",
                "branch=main&forbidForcePush=true&forbidDeletion=true", api.base());
        assertThat(protect.status()).isEqualTo(302);
        assertThat(api.get(ADMIN, "/admin/ui/settings/protection").body()).contains("<td>main</td>", "forbidden");
        Api.Response badHook = form("/admin/ui/settings/hooks", "url=gopher://x", api.base());
        assertThat(badHook.status()).isEqualTo(302);
        assertThat(api.get(ADMIN, "/api/v1/repos/admin/ui/hooks").json()).isEmpty();
    }

    Api.Response form(String path, String body, String origin) {
        try {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + path))
                    .header("Authorization", "Bearer " + ADMIN)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Origin", origin)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
            try (var client = java.net.http.HttpClient.newHttpClient()) {
                var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
                return new Api.Response(response.statusCode(), null, response.body(), response);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
