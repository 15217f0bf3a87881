package dev.procurator.e2e.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.ci.support.CiApi;
import dev.procurator.common.testing.ClusterFlake;
import dev.procurator.e2e.ci.CiPlatform;
import tools.jackson.databind.JsonNode;

/**
 * The CI service killed with SIGKILL, then started again: a pipeline acknowledged to the forge (killed the moment it
 * answered the webhook 2xx) is still there and completes; a pipeline killed in the middle of a step is taken up again
 * once its lease runs out, and completes. Run on the embedded H2 default and on PostgreSQL.
 */
abstract class CiCrashContract {

    private static final Duration FINISH = Duration.ofMinutes(4);

    @TempDir
    static Path home;

    private static CiPlatform platform;
    private static CiKillingWebhookProxy proxy;
    private static String repo;

    /** @param database the CI's database variables (none: embedded H2) */
    static void start(Map<String, String> database) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(database);
        env.put("PROCURATOR_CI_LEASE", "3s");
        platform = CiPlatform.start(home, env);
        proxy = new CiKillingWebhookProxy(platform.ci.url, () -> platform.ci.kill());
        repo = platform.createRepo("crash");
        platform.addHook(repo, proxy.url() + "/hooks/forge");
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    private static ClusterFlake cluster(String version) {
        return ClusterFlake.fromModuleDir().vm("web", "", version);
    }

    @Test
    void aPipelineAcknowledgedToTheForgeSurvivesAKillRightAfterTheAnswer() throws Exception {
        proxy.arm();
        String commit = platform.push(repo, "main", cluster("acked"), "killed after the ack");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (proxy.acknowledged().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(proxy.acknowledged()).as("the CI acknowledged the push, then was killed").hasSize(1);
        CiKillingWebhookProxy.Acknowledged ack = proxy.acknowledged().getFirst();
        assertThat(ack.status()).isEqualTo(202);
        long id = CiApi.parse(ack.body()).path("pipeline").asLong();

        platform.startCi();
        JsonNode pipeline = platform.api().awaitFinished(id, FINISH);
        assertThat(pipeline.path("commit").asString()).isEqualTo(commit);
        assertThat(pipeline.path("status").asString()).as(pipeline.toString()).isEqualTo("succeeded");
        assertThat(platform.master.published()).anySatisfy(g -> assertThat(g.gitCommit()).isEqualTo(commit));
        // One pipeline for the commit: the acknowledged delivery was queued once.
        assertThat(platform.api().json("/api/v1/pipelines?repo=" + repo).findValuesAsString("commit")
                .stream().filter(commit::equals).count()).isEqualTo(1);
    }

    @Test
    void aPipelineKilledInTheMiddleOfAStepIsTakenUpAgainAndCompletes() throws Exception {
        String commit = platform.push(repo, "running", cluster("mid-run").ci("""
                { checks = [ { name = "slow"; command = "echo begin; sleep 6; echo end"; } ]; }"""),
                "killed mid-run");
        long id = platform.awaitPipeline(repo, commit, Duration.ofSeconds(60));
        platform.api().awaitStepRunning(id, "ci.checks.slow", FINISH);
        platform.ci.kill();

        platform.startCi();
        JsonNode pipeline = platform.api().awaitFinished(id, FINISH);
        assertThat(pipeline.path("status").asString()).as(pipeline.toString()).isEqualTo("succeeded");
        assertThat(pipeline.path("attempts").asInt()).isEqualTo(2);
        assertThat(CiApi.stepNames(pipeline)).startsWith("fetch", "flake-check", "evaluate", "ci.checks.slow")
                .endsWith("publish");
        assertThat(platform.api().get("/api/v1/pipelines/" + id + "/steps/ci.checks.slow/log").body())
                .contains("begin").contains("end");
        assertThat(platform.master.published()).anySatisfy(g -> assertThat(g.gitCommit()).isEqualTo(commit));
    }
}
