package dev.procurator.e2e.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.ci.support.CiApi;
import dev.procurator.ci.support.RecordingMaster;
import dev.procurator.common.testing.ClusterFlake;
import dev.procurator.common.testing.RequiresTool;
import tools.jackson.databind.JsonNode;

/**
 * The CI against the real forge and cache jars: a repository connected with {@code procurator repo connect}, real
 * {@code git push}es delivered by the forge's signed webhook, pipelines whose closures are fetched back from the real
 * cache with signatures required and whose generations reach a Cap'n Proto {@code Master}; commit statuses on the
 * forge; a cache outage survived; the CLI's {@code ci} commands.
 */
@RequiresTool({"nix", "git"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CiPipelineIT {

    private static final Duration FINISH = Duration.ofMinutes(3);

    @TempDir
    static Path home;

    private static CiPlatform platform;
    private static String repo;

    @BeforeAll
    static void start() throws Exception {
        platform = CiPlatform.start(home, Map.of());
        repo = platform.createRepo("cluster");
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    private static ClusterFlake cluster(String webVersion) {
        return ClusterFlake.fromModuleDir().vm("web", "cpu = 2; replicas = 2;", webVersion).vm("db", "", "v1");
    }

    /** Pushes, waits for the pipeline the forge's webhook queued, and returns it finished. */
    private static JsonNode pushAndFinish(String branch, ClusterFlake flake, String message) throws Exception {
        String commit = platform.push(repo, branch, flake, message);
        long id = platform.awaitPipeline(repo, commit, Duration.ofSeconds(60));
        return platform.api().awaitFinished(id, FINISH);
    }

    @Test
    @Order(1)
    void procuratorRepoConnectAddsTheCisSignedWebhook() throws Exception {
        CiPlatform.Cli connect = platform.cli("repo", "connect", repo);
        assertThat(connect.exit()).as(connect.err()).isZero();
        assertThat(connect.out()).contains("Connected " + repo + " to the CI")
                .contains(platform.ci.url + "/hooks/forge").contains("signed");
        assertThat(connect.out() + connect.err()).doesNotContain(CiPlatform.WEBHOOK_SECRET);
        // Connecting again replaces the hook instead of adding a second one.
        assertThat(platform.cli("repo", "connect", repo).out()).contains("replacing hook");
        assertThat(platform.cli("repo", "hook", "list", repo).out().lines()
                .filter(line -> line.contains("/hooks/forge")).count()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void aPushBecomesCachedClosuresAndAPublishedGenerationWithCommitStatuses() throws Exception {
        JsonNode pipeline = pushAndFinish("main", cluster("v1").ci("""
                { checks = [ { name = "environment"; command = "env"; } ]; }"""), "first cluster");
        long id = pipeline.path("id").asLong();
        String commit = pipeline.path("commit").asString();
        assertThat(pipeline.path("status").asString()).as(pipeline.toString()).isEqualTo("succeeded");
        assertThat(pipeline.path("trigger").asString()).isEqualTo("push");
        assertThat(CiApi.strings(pipeline.path("changedVms"))).containsExactly("db", "web");

        // The closures come back from the real cache into an empty store, signatures required.
        JsonNode deployment = CiApi.parse(platform.api().get("/api/v1/pipelines/" + id + "/deployment").body());
        Path store = home.resolve("worker-store");
        for (String vm : List.of("web", "db")) {
            String closure = deployment.path("closures").path(vm).asString();
            var copied = platform.copyFromCache(closure, store);
            assertThat(copied.exitCode()).as(copied.stderr()).isZero();
            assertThat(store.resolve(closure.substring(1)).resolve("kernel-params")).exists();
        }

        // The control plane got the generation over Cap'n Proto.
        assertThat(platform.master.published()).hasSize(1);
        RecordingMaster.Published generation = platform.master.published().getFirst();
        assertThat(generation.repository()).isEqualTo(repo);
        assertThat(generation.gitCommit()).isEqualTo(commit);
        assertThat(generation.closures()).containsEntry("web", deployment.path("closures").path("web").asString());
        assertThat(generation.pipelineUrl()).isEqualTo(platform.ci.url + "/pipelines/" + id);

        // The forge shows pending, then success, linking to the pipeline's page.
        assertThat(awaitStatus(commit, "success").path("context").asString()).isEqualTo("procurator/ci");
        JsonNode statuses = platform.statuses(repo, commit);
        List<String> states = new ArrayList<>();
        statuses.forEach(status -> states.add(status.path("state").asString()));
        assertThat(states).contains("pending").first().isEqualTo("success");
        assertThat(statuses.get(0).path("targetUrl").asString()).isEqualTo(platform.ci.url + "/pipelines/" + id);

        // The pushed code's command ran without any of the CI's tokens or secrets, though the CI process holds them.
        String environment = platform.api().get("/api/v1/pipelines/" + id + "/steps/ci.checks.environment/log").body();
        assertThat(environment).contains("PROCURATOR_REPO=" + repo).contains("CI=true");
        for (String secret : List.of(CiPlatform.ADMIN, CiPlatform.WEBHOOK_SECRET, platform.forgeToken,
                platform.cacheToken)) {
            assertThat(environment).doesNotContain(secret);
        }
        assertThat(environment).doesNotContain("[redacted]").doesNotContain("PROCURATOR_ADMIN_TOKEN")
                .doesNotContain("PROCURATOR_FORGE_TOKEN").doesNotContain("PROCURATOR_CACHE_TOKEN")
                .doesNotContain("WEBHOOK_SECRET");
        assertThat(platform.ci.logTail()).doesNotContain(platform.cacheToken).doesNotContain(platform.forgeToken);
    }

    @Test
    @Order(3)
    void aSecondPushThatChangesNothingPublishesNothing() throws Exception {
        String commit = platform.pushFile(repo, "main", "README.md", "docs only\n", "docs");
        JsonNode pipeline = platform.api().awaitFinished(platform.awaitPipeline(repo, commit, Duration.ofSeconds(60)),
                FINISH);
        assertThat(pipeline.path("status").asString()).as(pipeline.toString()).isEqualTo("succeeded");
        assertThat(pipeline.path("changedVms")).isEmpty();
        assertThat(CiApi.stepStatus(pipeline, "publish")).isEqualTo("skipped");
        assertThat(platform.master.published()).hasSize(1);
        assertThat(awaitStatus(commit, "success").path("description").asString()).contains("nothing to deploy");
    }

    @Test
    @Order(4)
    void aPushChangingOneVmListsOnlyThatVm() throws Exception {
        JsonNode pipeline = pushAndFinish("main", cluster("v2"), "web v2");
        assertThat(pipeline.path("status").asString()).as(pipeline.toString()).isEqualTo("succeeded");
        assertThat(CiApi.strings(pipeline.path("changedVms"))).containsExactly("web");
        assertThat(platform.master.published()).hasSize(2);
        assertThat(platform.master.published().get(1).closures().get("db"))
                .isEqualTo(platform.master.published().get(0).closures().get("db"));
    }

    @Test
    @Order(5)
    void failuresAreShownOnTheStepAndTheForgeAndPublishNothing() throws Exception {
        JsonNode build = pushAndFinish("broken", cluster("v3").failingBuild("web"), "web fails to build");
        assertThat(build.path("status").asString()).isEqualTo("failed");
        assertThat(build.path("message").asString()).startsWith("build: error: builder for");
        assertThat(awaitStatus(build.path("commit").asString(), "failure").path("description").asString())
                .contains("builder for");

        JsonNode blueprint = pushAndFinish("invalid", ClusterFlake.fromModuleDir().vm("web", "memory.unit = \"TB\";",
                "v1"), "a unit cluster.nix refuses");
        assertThat(blueprint.path("status").asString()).isEqualTo("failed");
        assertThat(blueprint.path("message").asString()).contains("procurator cluster: vms.web.memory.unit");

        JsonNode missing = pushAndFinish("missing", cluster("v1").withoutClosure("web"), "no system for web");
        assertThat(missing.path("status").asString()).isEqualTo("failed");
        assertThat(missing.path("message").asString()).contains("VM 'web' has no closure")
                .contains("nixosConfigurations.web.config.system.build.toplevel");

        assertThat(platform.master.published()).hasSize(2);
    }

    @Test
    @Order(6)
    void aBadlySignedWebhookIs401AndQueuesNothing() throws Exception {
        int before = platform.api().json("/api/v1/pipelines?limit=500").size();
        String body = "{\"event\":\"push\",\"ref\":\"refs/heads/main\",\"before\":\"" + "0".repeat(40)
                + "\",\"after\":\"" + "a".repeat(40) + "\",\"deleted\":false,\"repository\":{\"full_name\":\"" + repo
                + "\"},\"pusher\":{\"name\":\"mallory\"}}";
        for (String signature : new String[] {null, "sha256=" + "0".repeat(64),
                CiPlatform.sign("a guessed secret", body.getBytes(StandardCharsets.UTF_8))}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.ci.url + "/hooks/forge"))
                    .header("X-Procurator-Event", "push").header("X-Procurator-Delivery", UUID.randomUUID().toString())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (signature != null) {
                request.header("X-Procurator-Signature-256", signature);
            }
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(CiApi.parse(response.body()).path("error").asString()).isEqualTo("invalid_signature");
        }
        assertThat(platform.api().json("/api/v1/pipelines?limit=500").size()).isEqualTo(before);
    }

    @Test
    @Order(7)
    void deletingABranchQueuesNothing() throws Exception {
        String commit = platform.push(repo, "short-lived", cluster("v1"), "a branch");
        platform.api().awaitFinished(platform.awaitPipeline(repo, commit, Duration.ofSeconds(60)), FINISH);
        int before = platform.api().json("/api/v1/pipelines?repo=" + repo + "&branch=short-lived").size();
        platform.deleteBranch(repo, "short-lived");
        Thread.sleep(3000); // the forge delivers at once; give it time to have delivered
        assertThat(platform.api().json("/api/v1/pipelines?repo=" + repo + "&branch=short-lived").size())
                .isEqualTo(before);
    }

    @Test
    @Order(8)
    void aCacheOutageThatEndsDuringTheBackoffDoesNotFailThePipeline() throws Exception {
        platform.stopCache();
        String commit = platform.push(repo, "main", cluster("v5"), "web v5 while the cache is down");
        long id = platform.awaitPipeline(repo, commit, Duration.ofSeconds(60));
        awaitLog(id, "push", "retrying in", Duration.ofMinutes(2));
        platform.startCache();

        JsonNode pipeline = platform.api().awaitFinished(id, FINISH);
        assertThat(pipeline.path("status").asString()).as(pipeline.toString()).isEqualTo("succeeded");
        assertThat(platform.api().get("/api/v1/pipelines/" + id + "/steps/push/log").body())
                .contains("pushing to the cache").contains("failed (attempt 1)");
        String web = CiApi.parse(platform.api().get("/api/v1/pipelines/" + id + "/deployment").body())
                .path("closures").path("web").asString();
        var copied = platform.copyFromCache(web, home.resolve("store-after-outage"));
        assertThat(copied.exitCode()).as(copied.stderr()).isZero();
        assertThat(platform.master.published().getLast().gitCommit()).isEqualTo(commit);
    }

    @Test
    @Order(9)
    void theCliListsShowsFollowsRunsRetriesAndCancels() throws Exception {
        CiPlatform.Cli list = platform.cli("ci", "list", "--repo", repo);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).startsWith("ID").contains("succeeded").contains("failed").contains(repo);

        long first = platform.api().json("/api/v1/pipelines?repo=" + repo + "&branch=main&limit=500")
                .get(0).path("id").asLong();
        CiPlatform.Cli show = platform.cli("ci", "show", Long.toString(first));
        assertThat(show.out()).contains("status:      succeeded").contains("STEP").contains("publish")
                .contains("nixos-system-web");
        assertThat(platform.cli("ci", "logs", Long.toString(first), "build").out()).contains("web => /nix/store/");

        CiPlatform.Cli run = platform.cli("ci", "run", repo, "--ref", "main", "--follow");
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Queued pipeline").contains("==> fetch <==").contains("==> build <==")
                .contains("nothing changed").containsPattern("==> pipeline \\d+ succeeded <==");

        CiPlatform.Cli retry = platform.cli("ci", "retry", Long.toString(first));
        assertThat(retry.exit()).as(retry.err()).isZero();
        assertThat(retry.out()).contains("Queued pipeline");

        String slow = platform.push(repo, "slow", cluster("v1").ci("""
                { checks = [ { name = "wait"; command = "sleep 300"; } ]; }"""), "slow");
        long slowId = platform.awaitPipeline(repo, slow, Duration.ofSeconds(60));
        platform.api().awaitStepRunning(slowId, "ci.checks.wait", FINISH);
        CiPlatform.Cli cancel = platform.cli("ci", "cancel", Long.toString(slowId));
        assertThat(cancel.exit()).as(cancel.err()).isZero();
        assertThat(platform.api().awaitFinished(slowId, Duration.ofSeconds(30)).path("status").asString())
                .isEqualTo("cancelled");
        CiPlatform.Cli follow = platform.cli("ci", "logs", "-f", Long.toString(slowId));
        assertThat(follow.exit()).isEqualTo(1);
        assertThat(follow.out()).contains("$ sleep 300").containsPattern("==> pipeline \\d+ cancelled <==");
        assertThat(awaitStatus(slow, "error").path("description").asString()).startsWith("cancelled");

        CiPlatform.Cli unknown = platform.cli("ci", "show", "999999");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("No pipeline 999999").contains("HTTP 404");
    }

    private static JsonNode awaitStatus(String commit, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode statuses = platform.statuses(repo, commit);
            if (!statuses.isEmpty() && statuses.get(0).path("state").asString().equals(state)) {
                return statuses.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + state + " status on " + commit + ": " + platform.statuses(repo, commit));
    }

    private static void awaitLog(long id, String step, String text, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> log = platform.api().get("/api/v1/pipelines/" + id + "/steps/" + step + "/log");
            if (log.statusCode() == 200 && log.body().contains(text)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("step " + step + " of pipeline " + id + " never logged '" + text + "': "
                + platform.api().pipeline(id));
    }
}
