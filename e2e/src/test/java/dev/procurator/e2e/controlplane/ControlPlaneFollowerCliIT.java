package dev.procurator.e2e.controlplane;

import static dev.procurator.e2e.controlplane.Publisher.closure;
import static dev.procurator.e2e.controlplane.RunningControlPlane.allHealthyOn;
import static dev.procurator.e2e.controlplane.RunningControlPlane.rolloutOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.testing.TestDatabase;
import dev.procurator.controlplane.testing.SimulatedWorker;
import tools.jackson.databind.JsonNode;

/**
 * The CLI pointed at a follower of a highly available control plane (two real jars on one PostgreSQL): reads are
 * answered there, and an operator call the follower refuses with {@code not_leader} is sent on to the leader it names.
 */
class ControlPlaneFollowerCliIT {

    private static final String ADMIN = "pcr_cp-follower-it-" + UUID.randomUUID();
    private static final String API_1 = closure("c", "api");
    private static final String API_2 = closure("d", "api");

    @RegisterExtension
    static TestDatabase db = new TestDatabase();

    @TempDir
    static Path home;

    private static RunningControlPlane first;
    private static RunningControlPlane second;
    private static SimulatedWorker worker;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        Map<String, String> shared = Map.of("PROCURATOR_DB_URL", db.jdbcUrl(), "PROCURATOR_DB_USER", db.username(),
                "PROCURATOR_DB_PASSWORD", db.password());
        first = RunningControlPlane.start(home.resolve("first"), ADMIN, shared);
        second = RunningControlPlane.start(home.resolve("second"), ADMIN, shared);
        String endpoints = first.rpc + "," + second.rpc;
        worker = new SimulatedWorker(endpoints, "w1", 4, 8192, List.of("test"), Duration.ofMillis(300));
        Publisher publisher = new Publisher(endpoints);
        publisher.publish(RunningControlPlane.REPO, RunningControlPlane.BRANCH, "1".repeat(40),
                List.of(Publisher.Vm.rolling("api", 2, API_1, 1)));
        first.awaitCluster("api running healthy", Duration.ofSeconds(60), c -> allHealthyOn(c, "api", 2, API_1));
        // A replica must stay healthy for a minute before the next one goes: the rollout stays in progress.
        publisher.publish(RunningControlPlane.REPO, RunningControlPlane.BRANCH, "2".repeat(40),
                List.of(Publisher.Vm.rolling("api", 2, API_2, 60)));
        first.awaitCluster("api's rollout of generation 2 in progress", Duration.ofSeconds(60),
                c -> rolloutOf(c, "api").path("generation").asLong() == 2
                        && rolloutOf(c, "api").path("state").asString().equals("inProgress"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            worker.close();
        }
        for (RunningControlPlane instance : new RunningControlPlane[] {second, first}) {
            if (instance != null) {
                instance.close();
            }
        }
    }

    @Test
    void anOperatorCallSentToTheFollowerReachesTheLeader() throws Exception {
        JsonNode cluster = first.cluster();
        RunningControlPlane follower = cluster.path("leaderRpc").asString().endsWith(":" + port(first.rpc))
                ? second : first;
        RunningControlPlane leader = follower == first ? second : first;

        // The premise: the follower itself refuses the call and names the leader's URL.
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(follower.url() + "/api/v1/vms/api/pause"))
                .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("not_leader").contains(":" + leader.jar.port());

        Cli cli = new Cli(home, Map.of("PROCURATOR_CONTROL_PLANE_URL", follower.url(), "PROCURATOR_TOKEN", ADMIN));
        assertThat(cli.run("status").requireSuccess().out()).contains("control plane: " + follower.url())
                .contains("api").contains("inProgress");

        Cli.Result paused = cli.run("deploy", "pause", "api").requireSuccess();
        assertThat(paused.out()).startsWith("api: rolling rollout").contains(" is paused");
        assertThat(rolloutOf(leader.cluster(), "api").path("state").asString()).isEqualTo("paused");

        Cli.Result drained = cli.run("workers", "drain", "w1").requireSuccess();
        assertThat(drained.out()).contains("state draining");
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
