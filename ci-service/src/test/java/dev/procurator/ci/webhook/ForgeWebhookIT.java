package dev.procurator.ci.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.ci.support.CiApi;
import dev.procurator.ci.support.CiInstance;
import dev.procurator.ci.support.DiskForge;
import dev.procurator.common.webhook.WebhookSignature;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /hooks/forge} as the forge calls it (headers, HMAC-SHA256 signature, payload), on the embedded H2
 * default: what is acknowledged, what is refused, and that nothing refused or repeated queues anything.
 */
class ForgeWebhookIT {

    private static final String ADMIN = "pcr_webhook-it-" + UUID.randomUUID();
    private static final String SECRET = "the-shared-webhook-secret";
    private static final String COMMIT = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    static Path dataDir;

    private static CiInstance ci;
    private static CiApi api;
    private static final DiskForge forge = new DiskForge(Path.of("/nonexistent"));

    @BeforeAll
    static void start() {
        ci = CiInstance.start(Map.of("procurator.data-dir", dataDir.toString(), "procurator.admin-token", ADMIN,
                "procurator.ci.webhook-secret", SECRET, "procurator.forge-url", "http://127.0.0.1:9",
                "procurator.ci.retry-initial", "50ms", "procurator.ci.retry-for", "200ms"));
        api = new CiApi(ci.url(), ADMIN);
    }

    @AfterAll
    static void stop() {
        if (ci != null) {
            ci.close();
        }
    }

    private static int pipelines(String repo) {
        return api.json("/api/v1/pipelines?repo=" + repo + "&limit=500").size();
    }

    private static HttpResponse<String> deliver(String secret, String event, String delivery, String body) {
        return forge.deliver(ci.url(), secret, event, delivery, body);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(CiApi.parse(response.body()).path("error").asString()).isEqualTo(code);
    }

    @Test
    void aBadOrMissingSignatureIs401AndQueuesNothing() {
        String body = DiskForge.payload("alice/signed", "main", COMMIT);
        assertRefused(deliver(null, "push", UUID.randomUUID().toString(), body), 401, "invalid_signature");
        assertRefused(deliver("not-the-secret", "push", UUID.randomUUID().toString(), body), 401,
                "invalid_signature");
        // Signed correctly, then altered: the signature no longer matches the body.
        String signature = WebhookSignature.sign(SECRET, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> tampered = forge.deliverSigned(ci.url(), signature, "push", UUID.randomUUID().toString(),
                body.replace(COMMIT, "f".repeat(40)));
        assertRefused(tampered, 401, "invalid_signature");
        assertThat(pipelines("alice/signed")).isZero();
    }

    @Test
    void aPushIsQueuedOnceHoweverOftenItsDeliveryArrives() throws Exception {
        String delivery = UUID.randomUUID().toString();
        String body = DiskForge.payload("alice/once", "main", COMMIT);
        HttpResponse<String> first = deliver(SECRET, "push", delivery, body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        JsonNode queued = CiApi.parse(first.body());
        assertThat(queued.path("result").asString()).isEqualTo("queued");
        long id = queued.path("pipeline").asLong();
        assertThat(queued.path("url").asString()).endsWith("/pipelines/" + id);

        HttpResponse<String> again = deliver(SECRET, "push", delivery, body);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(CiApi.parse(again.body()).path("result").asString()).isEqualTo("duplicate");
        assertThat(CiApi.parse(again.body()).path("pipeline").asLong()).isEqualTo(id);

        JsonNode pipeline = api.pipeline(id);
        assertThat(pipeline.path("repo").asString()).isEqualTo("alice/once");
        assertThat(pipeline.path("branch").asString()).isEqualTo("main");
        assertThat(pipeline.path("commit").asString()).isEqualTo(COMMIT);
        assertThat(pipeline.path("trigger").asString()).isEqualTo("push");
        assertThat(pipeline.path("triggeredBy").asString()).isEqualTo("alice");
        assertThat(pipelines("alice/once")).isEqualTo(1);
    }

    @Test
    void concurrentCopiesOfOneDeliveryQueueOnePipeline() throws Exception {
        String delivery = UUID.randomUUID().toString();
        String body = DiskForge.payload("alice/race", "main", COMMIT);
        ExecutorService senders = Executors.newFixedThreadPool(6);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(senders.submit(() -> deliver(SECRET, "push", delivery, body)));
        }
        List<String> results = new ArrayList<>();
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            assertThat(response.statusCode() / 100).as(response.body()).isEqualTo(2);
            results.add(CiApi.parse(response.body()).path("result").asString());
        }
        senders.shutdown();
        assertThat(results).containsOnly("queued", "duplicate").containsOnlyOnce("queued");
        assertThat(pipelines("alice/race")).isEqualTo(1);
    }

    @Test
    void otherEventsDeletedBranchesAndTagsAreAcknowledgedAndIgnored() {
        HttpResponse<String> ping = deliver(SECRET, "ping", UUID.randomUUID().toString(), "{\"zen\":\"hello\"}");
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(CiApi.parse(ping.body()).path("result").asString()).isEqualTo("ignored");

        String deletion = DiskForge.payload("alice/ignored", "gone", COMMIT, "0".repeat(40), true);
        HttpResponse<String> deleted = deliver(SECRET, "push", UUID.randomUUID().toString(), deletion);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(CiApi.parse(deleted.body()).path("message").asString()).contains("branch deleted");

        String tag = DiskForge.payload("alice/ignored", "main", COMMIT).replace("refs/heads/main", "refs/tags/v1");
        assertThat(CiApi.parse(deliver(SECRET, "push", UUID.randomUUID().toString(), tag).body())
                .path("result").asString()).isEqualTo("ignored");
        assertThat(pipelines("alice/ignored")).isZero();
    }

    @Test
    void malformedDeliveriesAre400AndQueueNothing() {
        assertRefused(deliver(SECRET, "push", UUID.randomUUID().toString(), "{not json"), 400, "invalid_payload");
        assertRefused(deliver(SECRET, "push", UUID.randomUUID().toString(),
                DiskForge.payload("alice/bad", "main", COMMIT).replace("\"alice/bad\"", "\"../../etc\"")), 400,
                "invalid_repo");
        assertRefused(deliver(SECRET, "push", UUID.randomUUID().toString(),
                DiskForge.payload("alice/bad", "main", "not-a-commit")), 400, "invalid_commit");
        assertRefused(deliver(SECRET, "push", "", DiskForge.payload("alice/bad", "main", COMMIT)), 400,
                "missing_delivery");
        assertThat(pipelines("alice/bad")).isZero();
    }

    @Test
    void withoutAConfiguredSecretOneIsGeneratedPrivatelyAndHandedToAdminsOnly(@TempDir Path otherDir)
            throws Exception {
        try (CiInstance generated = CiInstance.start(Map.of("procurator.data-dir", otherDir.toString(),
                "procurator.admin-token", ADMIN))) {
            Path file = otherDir.resolve("webhook-secret");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            String secret = Files.readString(file).strip();
            assertThat(secret).hasSize(64);

            JsonNode hook = new CiApi(generated.url(), ADMIN).json("/api/v1/webhook");
            assertThat(hook.path("secret").asString()).isEqualTo(secret);
            assertThat(hook.path("url").asString()).endsWith("/hooks/forge");
            assertThat(CiApi.strings(hook.path("events"))).containsExactly("push");
            assertThat(new CiApi(generated.url(), "pcr_nobody").get("/api/v1/webhook").statusCode()).isEqualTo(401);

            HttpResponse<String> signed = forge.deliver(generated.url(), secret, "push", UUID.randomUUID().toString(),
                    DiskForge.payload("alice/generated", "main", COMMIT));
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(202);
        }
    }
}
