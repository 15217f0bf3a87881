package dev.procurator.e2e.controlplane;

import static dev.procurator.e2e.controlplane.Publisher.closure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

/**
 * Issue 12's pattern for the control plane: generations are published over Cap'n Proto as fast as the control plane
 * takes them while the real jar is killed with SIGKILL; after a restart on the same data, every generation whose
 * {@code publishState} returned is there with its commit, numbered without gaps, and the last one's rollout exists.
 */
abstract class ControlPlaneCrashContract {

    private static final String ADMIN = "pcr_cp-crash-it-" + UUID.randomUUID();
    private static final String SOURCE = RunningControlPlane.REPO + "@" + RunningControlPlane.BRANCH;

    @TempDir
    Path home;

    private RunningControlPlane controlPlane;

    /** The environment that selects the database (none: the embedded H2 in the data dir). */
    abstract Map<String, String> database();

    @AfterEach
    void stop() throws Exception {
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    @Test
    void everyAcknowledgedGenerationSurvivesASigkill() throws Exception {
        controlPlane = RunningControlPlane.start(home.resolve("cp"), ADMIN, database());
        List<Long> acknowledged = new ArrayList<>();
        List<String> commits = new ArrayList<>();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 1; ; i++) {
                    String commit = String.format("%040x", i);
                    long number = controlPlane.publish(commit,
                            Publisher.Vm.rolling("web", 1, closure(i % 2 == 0 ? "a" : "b", "web"), 1));
                    synchronized (acknowledged) {
                        acknowledged.add(number);
                        commits.add(commit);
                    }
                }
            } catch (Exception e) {
                // the kill cut the connection: what returned before it is what must survive
            }
        });
        awaitAcknowledged(acknowledged, 5);
        controlPlane.jar.kill();
        publishing.get(60, TimeUnit.SECONDS);
        controlPlane.close();

        controlPlane = RunningControlPlane.start(home.resolve("cp"), ADMIN, database());
        JsonNode generations = controlPlane.get("/api/v1/generations?source=" + SOURCE);
        List<Long> stored = new ArrayList<>();
        generations.forEach(g -> stored.add(g.path("number").asLong()));
        synchronized (acknowledged) {
            assertThat(acknowledged).as("generations acknowledged before the kill").hasSizeGreaterThanOrEqualTo(5);
            assertThat(stored).as("every acknowledged generation is stored").containsAll(acknowledged);
            long last = acknowledged.get(acknowledged.size() - 1);
            assertThat(stored).as("numbered without gaps").hasSize((int) (long) stored.stream().max(Long::compare)
                    .orElseThrow());
            JsonNode lastGeneration = controlPlane.get("/api/v1/generations/" + idOf(generations, last));
            assertThat(lastGeneration.path("commit").asString()).isEqualTo(commits.get(commits.size() - 1));
        }
        assertThat(controlPlane.get("/api/v1/rollouts?vm=web")).as("the rollouts' rows survived too").isNotEmpty();
    }

    private static void awaitAcknowledged(List<Long> acknowledged, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (acknowledged) {
                if (acknowledged.size() >= count) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("fewer than " + count + " generations acknowledged within 60 s");
    }

    private static long idOf(JsonNode generations, long number) {
        for (JsonNode g : generations) {
            if (g.path("number").asLong() == number) {
                return g.path("id").asLong();
            }
        }
        throw new AssertionError("generation " + number + " is not listed: " + generations);
    }
}
