package dev.procurator.ci.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.ci.support.CiApi;
import dev.procurator.ci.support.CiInstance;
import dev.procurator.ci.support.DiskForge;
import dev.procurator.ci.support.RecordingMaster;
import dev.procurator.common.testing.ClusterFlake;
import dev.procurator.common.testing.NixSandbox;
import dev.procurator.common.testing.RequiresTool;
import dev.procurator.common.testing.TestDatabase;
import tools.jackson.databind.JsonNode;

/**
 * Whole pipelines with the real {@code nix} and {@code git}, on PostgreSQL: pushes to repositories on disk (the CI
 * fetches them over JGit's file transport), deliveries signed as the forge signs them, closures pushed to a
 * {@code file://} binary cache, generations published to a real Cap'n Proto {@code Master}. The e2e tests run the
 * same path against the real forge and cache jars.
 */
@RequiresTool({"nix", "git"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static final String ADMIN = "pcr_pipeline-it-admin-" + UUID.randomUUID();
    private static final String SECRET = "webhook-secret-" + UUID.randomUUID();
    private static final String REPO = "alice/demo";
    private static final Duration FINISH = Duration.ofMinutes(3);

    @RegisterExtension
    static final TestDatabase database = new TestDatabase();

    @TempDir
    static Path root;

    private static RecordingMaster master;
    private static DiskForge forge;
    private static CiInstance ci;

    @BeforeAll
    static void start() throws Exception {
        master = new RecordingMaster();
        forge = new DiskForge(root);
        ci = CiInstance.start(Map.ofEntries(
                Map.entry("spring.datasource.url", database.jdbcUrl()),
                Map.entry("spring.datasource.username", database.username()),
                Map.entry("spring.datasource.password", database.password()),
                Map.entry("procurator.data-dir", root.resolve("ci").toString()),
                Map.entry("procurator.admin-token", ADMIN),
                Map.entry("procurator.forge-url", forge.url()),
                Map.entry("procurator.cache-url", "file://" + root.resolve("cache")),
                Map.entry("procurator.control-plane-rpc", master.address()),
                Map.entry("procurator.ci-url", "http://ci.example"),
                Map.entry("procurator.ci.webhook-secret", SECRET),
                Map.entry("procurator.ci.retry-initial", "100ms"),
                Map.entry("procurator.ci.retry-max", "300ms"),
                Map.entry("procurator.ci.retry-for", "2s")));
    }

    @AfterAll
    static void stop() {
        if (ci != null) {
            ci.close();
        }
        master.close();
    }

    private CiApi api() {
        return new CiApi(ci.url(), ADMIN);
    }

    private static ClusterFlake cluster(String webVersion) {
        return ClusterFlake.fromModuleDir()
                .vm("web", "cpu = 2; replicas = 2; ports = [ 8080 ];", webVersion)
                .vm("db", "memory = { amount = 512; unit = \"MB\"; };", "v1");
    }

    private long push(String branch, ClusterFlake flake, String message) {
        String commit = forge.push(REPO, branch, flake, message);
        return queued(forge.deliverPush(api().url(), SECRET, REPO, branch, commit));
    }

    private static long queued(HttpResponse<String> delivery) {
        assertThat(delivery.statusCode()).as(delivery.body()).isEqualTo(202);
        JsonNode answer = CiApi.parse(delivery.body());
        assertThat(answer.path("result").asString()).isEqualTo("queued");
        return answer.path("pipeline").asLong();
    }

    @Test
    @Order(1)
    void aPushIsFetchedCheckedBuiltPushedStoredAndPublished() throws Exception {
        long id = push("main", cluster("v1").ci("""
                { checks = [ { name = "environment"; command = "env | sort"; env = { GREETING = "hello"; }; } ]; }"""),
                "first cluster");
        JsonNode pipeline = api().awaitFinished(id, FINISH);

        assertThat(pipeline.path("status").asString()).as(pipeline.toString()).isEqualTo("succeeded");
        assertThat(CiApi.stepNames(pipeline)).containsExactly("fetch", "flake-check", "evaluate",
                "ci.checks.environment", "build", "changes", "push", "artifact", "publish");
        pipeline.path("steps").forEach(step -> assertThat(step.path("status").asString()).isEqualTo("succeeded"));
        assertThat(CiApi.strings(pipeline.path("changedVms"))).containsExactly("db", "web");
        assertThat(pipeline.path("url").asString()).isEqualTo("http://ci.example/pipelines/" + id);

        JsonNode deployment = CiApi.parse(api().get("/api/v1/pipelines/" + id + "/deployment").body());
        assertThat(deployment.path("repository").asString()).isEqualTo(REPO);
        assertThat(deployment.path("branch").asString()).isEqualTo("main");
        assertThat(deployment.path("gitCommit").asString()).isEqualTo(pipeline.path("commit").asString());
        assertThat(deployment.path("blueprint").path("web").path("cpu").asInt()).isEqualTo(2);
        assertThat(deployment.path("blueprint").path("db").path("memory").path("megabytes").asInt()).isEqualTo(512);
        String web = deployment.path("closures").path("web").asString();
        String db = deployment.path("closures").path("db").asString();
        assertThat(web).startsWith("/nix/store/").endsWith("-nixos-system-web");
        assertThat(db).startsWith("/nix/store/").endsWith("-nixos-system-db");

        // The closures are in the binary cache, with their references.
        NixSandbox nix = new NixSandbox(root.resolve("client"));
        String inCache = nix.nix(root, "path-info", "-r", "--store", "file://" + root.resolve("cache/main"), web)
                .requireSuccess().stdout();
        assertThat(inCache).contains(web).contains("-kernel-web").contains("-initrd-web");

        // The control plane got the generation over Cap'n Proto.
        assertThat(master.published()).hasSize(1);
        RecordingMaster.Published generation = master.published().getFirst();
        assertThat(generation.repository()).isEqualTo(REPO);
        assertThat(generation.branch()).isEqualTo("main");
        assertThat(generation.gitCommit()).isEqualTo(pipeline.path("commit").asString());
        assertThat(generation.closures()).containsEntry("web", web).containsEntry("db", db);
        assertThat(generation.blueprint().vms().get("web").replicas()).isEqualTo(2);
        assertThat(generation.blueprint().vms().get("web").ports()).containsExactly(8080);
        assertThat(generation.pipelineUrl()).isEqualTo("http://ci.example/pipelines/" + id);

        // The procurator.ci command ran with its own environment and none of the service's secrets.
        String environment = api().get("/api/v1/pipelines/" + id + "/steps/ci.checks.environment/log").body();
        assertThat(environment).contains("GREETING=hello").contains("CI=true")
                .contains("PROCURATOR_COMMIT=" + pipeline.path("commit").asString());
        assertThat(environment).doesNotContain(ADMIN).doesNotContain(SECRET).doesNotContain("[redacted]")
                .doesNotContain("PROCURATOR_ADMIN_TOKEN").doesNotContain("SPRING_DATASOURCE");
    }

    @Test
    @Order(2)
    void aStepLogIsServedAsTextAndFollowedAsServerSentEvents() throws Exception {
        long id = api().json("/api/v1/pipelines?repo=" + REPO).get(0).path("id").asLong();
        String text = api().get("/api/v1/pipelines/" + id + "/steps/build/log").body();
        assertThat(text).contains("$ nix build --no-link --json").contains("web => /nix/store/");

        HttpResponse<String> events = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        api().url() + "/api/v1/pipelines/" + id + "/steps/build/log?follow=true"))
                .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(events.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(events.body()).contains("event:log").contains("data: web => /nix/store/")
                .contains("event:end\ndata:succeeded");
    }

    @Test
    @Order(3)
    void aPushThatChangesNothingPublishesNothing() {
        String commit = forge.pushFile(REPO, "main", "README.md", "only documentation\n", "docs");
        long id = queued(forge.deliverPush(api().url(), SECRET, REPO, "main", commit));
        JsonNode pipeline = api().awaitFinished(id, FINISH);

        assertThat(pipeline.path("status").asString()).as(pipeline.toString()).isEqualTo("succeeded");
        assertThat(pipeline.path("changedVms")).isEmpty();
        assertThat(CiApi.stepStatus(pipeline, "publish")).isEqualTo("skipped");
        assertThat(master.published()).hasSize(1);
    }

    @Test
    @Order(4)
    void aPushChangingOneVmListsOnlyThatVm() {
        long id = push("main", cluster("v2"), "new web");
        JsonNode pipeline = api().awaitFinished(id, FINISH);

        assertThat(pipeline.path("status").asString()).as(pipeline.toString()).isEqualTo("succeeded");
        assertThat(CiApi.strings(pipeline.path("changedVms"))).containsExactly("web");
        JsonNode deployment = CiApi.parse(api().get("/api/v1/pipelines/" + id + "/deployment").body());
        assertThat(CiApi.strings(deployment.path("changes").path("changed"))).containsExactly("web");
        assertThat(deployment.path("previousCommit").asString()).isNotBlank();
        assertThat(master.published()).hasSize(2);
        Map<String, String> before = master.published().get(0).closures();
        Map<String, String> after = master.published().get(1).closures();
        assertThat(after.get("db")).isEqualTo(before.get("db"));
        assertThat(after.get("web")).isNotEqualTo(before.get("web"));
    }

    @Test
    @Order(5)
    void aFailingBuildFailsThePipelineWithNixsMessageAndPublishesNothing() {
        long id = push("broken-build", cluster("v3").failingBuild("web"), "web does not build");
        JsonNode pipeline = api().awaitFinished(id, FINISH);

        assertThat(pipeline.path("status").asString()).isEqualTo("failed");
        assertThat(CiApi.stepStatus(pipeline, "build")).isEqualTo("failed");
        assertThat(CiApi.stepNames(pipeline)).doesNotContain("push", "artifact", "publish");
        assertThat(pipeline.path("message").asString()).startsWith("build: error: builder for")
                .contains("nixos-system-web");
        assertThat(api().get("/api/v1/pipelines/" + id + "/steps/build/log").body())
                .contains("procurator-test: the build of web fails here");
        assertThat(api().get("/api/v1/pipelines/" + id + "/deployment").statusCode()).isEqualTo(404);
        assertThat(master.published()).hasSize(2);
    }

    @Test
    @Order(6)
    void anInvalidBlueprintFailsTheEvaluationWithTheModelsMessage() {
        long rejectedByModel = push("invalid-model", ClusterFlake.fromModuleDir().vm("web", "cpu = 0;", "v1"),
                "cpu 0");
        JsonNode model = api().awaitFinished(rejectedByModel, FINISH);
        assertThat(model.path("status").asString()).isEqualTo("failed");
        assertThat(CiApi.stepStatus(model, "evaluate")).isEqualTo("failed");
        assertThat(model.path("message").asString())
                .contains("procurator cluster: vms.web.cpu: must be a positive number");

        // A blueprint that bypasses the cluster model is checked by the model the control plane uses.
        long bypassing = push("invalid-shape", ClusterFlake.fromModuleDir().vm("web", "", "v1").blueprint(
                "let b = cluster { vms.web = { }; }; in b // { web = b.web // { replicas = 0; }; }"),
                "replicas 0, by hand");
        JsonNode shape = api().awaitFinished(bypassing, FINISH);
        assertThat(shape.path("status").asString()).isEqualTo("failed");
        assertThat(shape.path("message").asString())
                .contains("blueprintJSON is invalid").contains("vms.web.replicas: must be a positive integer, got 0");
        assertThat(master.published()).hasSize(2);
    }

    @Test
    @Order(7)
    void aVmWithoutAClosureOutputIsNamed() {
        long id = push("no-closure", cluster("v1").withoutClosure("db"), "db has no system");
        JsonNode pipeline = api().awaitFinished(id, FINISH);

        assertThat(pipeline.path("status").asString()).isEqualTo("failed");
        assertThat(CiApi.stepStatus(pipeline, "evaluate")).isEqualTo("failed");
        assertThat(pipeline.path("message").asString()).contains("VM 'db' has no closure")
                .contains("nixosConfigurations.db.config.system.build.toplevel").doesNotContain("VM 'web'");
    }

    @Test
    @Order(8)
    void aFailingCiCommandStopsThePipelineBeforeTheBuild() {
        long id = push("failing-check", cluster("v1").ci("""
                { checks = [ { name = "lint"; command = "echo checking; exit 3"; } ]; }"""), "lint fails");
        JsonNode pipeline = api().awaitFinished(id, FINISH);

        assertThat(pipeline.path("status").asString()).isEqualTo("failed");
        assertThat(CiApi.stepNames(pipeline)).containsExactly("fetch", "flake-check", "evaluate", "ci.checks.lint");
        assertThat(pipeline.path("message").asString()).contains("`echo checking; exit 3` exited with 3");
    }

    @Test
    @Order(9)
    void anInvalidProcuratorCiSectionFailsTheEvaluationListingEveryProblem() {
        long id = push("invalid-ci", cluster("v1").ci("""
                { checks = [ { command = "true"; timeout = -1; } ]; deploys = [ ]; }"""), "bad ci");
        JsonNode pipeline = api().awaitFinished(id, FINISH);

        assertThat(pipeline.path("status").asString()).isEqualTo("failed");
        assertThat(CiApi.stepStatus(pipeline, "evaluate")).isEqualTo("failed");
        assertThat(pipeline.path("message").asString()).contains("procurator.ci: unknown option(s) [\"deploys\"]")
                .contains("procurator.ci.checks[0].name: is required")
                .contains("procurator.ci.checks[0].timeout: must be a positive number of seconds");
    }

    @Test
    @Order(10)
    void aRefusalOfTheControlPlaneFailsThePublishStep() {
        master.refuseNext("vms.web: defined by another source");
        long id = push("main", cluster("v4"), "web v4");
        JsonNode pipeline = api().awaitFinished(id, FINISH);

        assertThat(pipeline.path("status").asString()).isEqualTo("failed");
        assertThat(CiApi.stepStatus(pipeline, "publish")).isEqualTo("failed");
        assertThat(pipeline.path("message").asString())
                .isEqualTo("publish: the control plane refused the generation: vms.web: defined by another source");

        // A retry publishes what the failed pipeline could not: its baseline is still the last successful deployment.
        HttpResponse<String> retried = api().post("/api/v1/pipelines/" + id + "/retry", null);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
        JsonNode retry = api().awaitFinished(CiApi.parse(retried.body()).path("id").asLong(), FINISH);
        assertThat(retry.path("status").asString()).isEqualTo("succeeded");
        assertThat(retry.path("retryOf").asLong()).isEqualTo(id);
        assertThat(retry.path("trigger").asString()).isEqualTo("retry");
        assertThat(CiApi.strings(retry.path("changedVms"))).containsExactly("web");
        assertThat(master.published()).hasSize(3);
    }

    @Test
    @Order(11)
    void pipelinesOfABranchRunOneAtATimeANewerPushSupersedesTheQueuedOneAndCancelStopsTheRunningOne() {
        long running = push("serial", cluster("v1").ci("""
                { checks = [ { name = "slow"; command = "sleep 120"; } ]; }"""), "slow check");
        api().awaitStepRunning(running, "ci.checks.slow", FINISH);
        String second = forge.pushFile(REPO, "serial", "a.txt", "a", "second");
        long superseded = queued(forge.deliverPush(api().url(), SECRET, REPO, "serial", second));
        String third = forge.pushFile(REPO, "serial", "b.txt", "b", "third");
        long newest = queued(forge.deliverPush(api().url(), SECRET, REPO, "serial", third));

        assertThat(api().pipeline(superseded).path("status").asString()).isEqualTo("cancelled");
        assertThat(api().pipeline(superseded).path("message").asString())
                .isEqualTo("superseded by pipeline " + newest + " (a newer push to serial)");
        assertThat(api().pipeline(newest).path("status").asString()).isEqualTo("queued");

        HttpResponse<String> cancel = api().post("/api/v1/pipelines/" + running + "/cancel", null);
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        JsonNode cancelled = api().awaitFinished(running, Duration.ofSeconds(30));
        assertThat(cancelled.path("status").asString()).isEqualTo("cancelled");
        assertThat(CiApi.stepStatus(cancelled, "ci.checks.slow")).isEqualTo("cancelled");
        assertThat(api().post("/api/v1/pipelines/" + running + "/cancel", null).statusCode()).isEqualTo(409);

        // The newest push still has the slow check: cancel it while it waits or runs.
        api().post("/api/v1/pipelines/" + newest + "/cancel", null);
        assertThat(api().awaitFinished(newest, Duration.ofMinutes(1)).path("status").asString()).isEqualTo("cancelled");
    }

    @Test
    @Order(12)
    void aManualPipelineBuildsTheBranchTipAndBadRequestsChangeNothing() {
        String tip = forge.pushFile(REPO, "main", "notes.txt", "manual", "for a manual run");
        HttpResponse<String> created = api().post("/api/v1/pipelines", "{\"repo\":\"" + REPO + "\",\"ref\":\"main\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode manual = api().awaitFinished(CiApi.parse(created.body()).path("id").asLong(), FINISH);
        assertThat(manual.path("trigger").asString()).isEqualTo("manual");
        assertThat(manual.path("triggeredBy").asString()).isEqualTo("admin");
        assertThat(manual.path("commit").asString()).isEqualTo(tip);
        assertThat(manual.path("status").asString()).isEqualTo("succeeded");

        int before = api().json("/api/v1/pipelines?repo=" + REPO + "&limit=500").size();
        assertError(api().post("/api/v1/pipelines", "{\"repo\":\"" + REPO + "\",\"ref\":\"no-such-branch\"}"), 404,
                "unknown_ref");
        assertError(api().post("/api/v1/pipelines", "{\"repo\":\"alice/nothing\",\"ref\":\"main\"}"), 404,
                "unknown_repo");
        assertError(api().post("/api/v1/pipelines", "{\"repo\":\"../etc\",\"ref\":\"main\"}"), 400, "invalid_repo");
        assertError(api().post("/api/v1/pipelines", "{\"repo\":\"" + REPO + "\",\"ref\":\"a..b\"}"), 400,
                "invalid_ref");
        assertError(api().post("/api/v1/pipelines", "{}"), 400, "invalid_request");
        assertError(api().get("/api/v1/pipelines/999999"), 404, "not_found");
        assertError(api().post("/api/v1/pipelines/999999/retry", null), 404, "not_found");
        assertThat(api().json("/api/v1/pipelines?repo=" + REPO + "&limit=500")).hasSize(before);
    }

    @Test
    @Order(13)
    void theListIsNewestFirstWithTheFixedFields() {
        JsonNode list = api().json("/api/v1/pipelines?repo=" + REPO);
        assertThat(list.size()).isGreaterThan(5);
        long previous = Long.MAX_VALUE;
        for (JsonNode pipeline : list) {
            assertThat(pipeline.path("id").asLong()).isLessThan(previous);
            previous = pipeline.path("id").asLong();
            assertThat(pipeline.path("repo").asString()).isEqualTo(REPO);
            assertThat(pipeline.path("commit").asString()).hasSize(40);
            assertThat(pipeline.path("status").asString())
                    .isIn("queued", "running", "succeeded", "failed", "cancelled");
            assertThat(pipeline.has("branch") && pipeline.has("createdAt") && pipeline.has("finishedAt")).isTrue();
        }
        assertThat(api().json("/api/v1/pipelines?repo=" + REPO + "&branch=no-closure")).hasSize(1);
        assertThat(new CiApi(api().url(), "pcr_wrong").get("/api/v1/pipelines").statusCode()).isEqualTo(401);
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = CiApi.parse(response.body());
        assertThat(body.path("error").asString()).isEqualTo(code);
        assertThat(body.path("message").asString()).isNotBlank();
    }
}
