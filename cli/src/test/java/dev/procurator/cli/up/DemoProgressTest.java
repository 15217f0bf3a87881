package dev.procurator.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DemoProgressTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WEB = "/nix/store/i2vhpfijyzjxgl30dhxvv6r9c4xf0gyq-web";
    private static final String API = "/nix/store/zicdq4pdn16859f0fvqb1xsafx3icmkq-api";

    private final DemoProgress progress = new DemoProgress("admin/demo", "main");

    @Test
    void aPipelineIsToldOnceEachStepAsItEndsAndItsOutcome() {
        JsonNode running = JSON.readTree("""
                {"id": 3, "commit": "0123456789abcdef", "status": "running", "url": "http://ci/pipelines/3",
                 "steps": [{"name": "fetch", "status": "succeeded", "durationMs": 420},
                           {"name": "flake-check", "status": "running"}]}
                """);
        assertThat(progress.pipeline(running)).containsExactly(
                "pipeline #3 for commit 0123456: http://ci/pipelines/3", "  fetch succeeded (0.4 s)");
        assertThat(progress.pipeline(running)).as("nothing new").isEmpty();
        assertThat(DemoProgress.finished(running)).isFalse();

        JsonNode done = JSON.readTree("""
                {"id": 3, "commit": "0123456789abcdef", "status": "succeeded", "durationMs": 5230,
                 "steps": [{"name": "fetch", "status": "succeeded", "durationMs": 420},
                           {"name": "flake-check", "status": "succeeded", "durationMs": 1000},
                           {"name": "publish", "status": "skipped", "message": "nothing changed\\nmore"}]}
                """);
        assertThat(progress.pipeline(done)).containsExactly("  flake-check succeeded (1.0 s)",
                "  publish skipped: nothing changed", "pipeline #3 is green (5.2 s)");
        assertThat(DemoProgress.finished(done)).isTrue();
        assertThat(DemoProgress.succeeded(done)).isTrue();
    }

    @Test
    void aFailedPipelineSaysWhy() {
        JsonNode failed = JSON.readTree("""
                {"id": 4, "commit": "abc", "status": "failed", "message": "build: no kernel in /var/cache",
                 "steps": [{"name": "build", "status": "failed", "durationMs": 90, "message": "no kernel"}]}
                """);
        assertThat(progress.pipeline(failed)).endsWith("pipeline #4 failed: build: no kernel in /var/cache");
        assertThat(DemoProgress.succeeded(failed)).isFalse();
    }

    @Test
    void theClusterIsFollowedReplicaByReplicaUntilAllAreHealthy() {
        JsonNode placed = cluster("""
                {"source": "admin/demo@main", "name": "web", "replica": 0, "worker": "w1", "desiredClosure": "%1$s",
                 "observedClosure": null, "state": "fetching", "health": "unknown"},
                {"source": "admin/demo@main", "name": "api", "replica": 0, "worker": "w1", "desiredClosure": "%2$s",
                 "observedClosure": "%2$s", "state": "running", "health": "healthy"},
                {"source": "other/repo@main", "name": "db", "replica": 0, "worker": "w1", "desiredClosure": "/x",
                 "observedClosure": "/y", "state": "running", "health": "unhealthy"}
                """, "inProgress");
        assertThat(progress.cluster(placed)).containsExactly("generation 1 published (commit 0123456)",
                "web/0 placed on worker w1 (web)", "api/0 placed on worker w1 (api)", "api/0 booted", "api/0 healthy");
        assertThat(progress.allHealthy(placed)).isFalse();

        String allHealthy = """
                {"source": "admin/demo@main", "name": "web", "replica": 0, "worker": "w1", "desiredClosure": "%1$s",
                 "observedClosure": "%1$s", "state": "running", "health": "healthy"},
                {"source": "admin/demo@main", "name": "api", "replica": 0, "worker": "w1", "desiredClosure": "%2$s",
                 "observedClosure": "%2$s", "state": "running", "health": "healthy"}
                """;
        JsonNode healthyButRolling = cluster(allHealthy, "inProgress");
        assertThat(progress.cluster(healthyButRolling)).containsExactly("web/0 booted", "web/0 healthy");
        assertThat(progress.allHealthy(healthyButRolling)).as("its rollout is not over").isFalse();
        assertThat(progress.allHealthy(cluster(allHealthy, "succeeded"))).isTrue();
    }

    @Test
    void nothingIsHealthyBeforeTheSourceIsPublished() {
        JsonNode empty = JSON.readTree("{\"sources\": [], \"vms\": [], \"rollouts\": []}");
        assertThat(progress.cluster(empty)).isEmpty();
        assertThat(progress.allHealthy(empty)).isFalse();
        assertThat(progress.cached(List.of(WEB, API))).containsExactly("closures in the cache: web, api");
    }

    private static JsonNode cluster(String vms, String rolloutState) {
        return JSON.readTree("""
                {"sources": [{"repo": "admin/demo", "branch": "main", "generation": 1, "commit": "0123456789"}],
                 "vms": [%s],
                 "rollouts": [{"id": 1, "vm": "web", "source": "admin/demo@main", "state": "%s"}]}
                """.formatted(vms.formatted(WEB, API), rolloutState));
    }
}
