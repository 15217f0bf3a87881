package dev.procurator.e2e.controlplane;

import static dev.procurator.e2e.controlplane.Publisher.closure;
import static dev.procurator.e2e.controlplane.RunningControlPlane.allHealthyOn;
import static dev.procurator.e2e.controlplane.RunningControlPlane.replicas;
import static dev.procurator.e2e.controlplane.RunningControlPlane.rolloutOf;
import static dev.procurator.e2e.controlplane.RunningControlPlane.worker;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.e2e.ServiceJar;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code procurator status}, {@code workers} and {@code deploy} as an operator runs them against the real
 * control-plane jar, with two simulated workers registered over real Cap'n Proto and generations published as CI
 * publishes them: each command's output, and what each operator call changes in the control plane.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneCliIT {

    private static final String ADMIN = "pcr_cp-cli-it-" + UUID.randomUUID();
    private static final String COMMIT_1 = "1111111111aaaaaaaaaabbbbbbbbbbcccccccccc";
    private static final String WEB_1 = closure("a", "web");
    private static final String WEB_2 = closure("b", "web");
    private static final String API_1 = closure("c", "api");
    private static final String API_2 = closure("d", "api");
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @TempDir
    static Path home;

    private static RunningControlPlane controlPlane;
    private static Cli cli;

    @BeforeAll
    static void startCluster() throws Exception {
        controlPlane = RunningControlPlane.start(home.resolve("control-plane"), ADMIN);
        controlPlane.addWorker("w1", 4, 8192);
        controlPlane.addWorker("w2", 4, 8192);
        controlPlane.publish(COMMIT_1, Publisher.Vm.canary("web", 2, WEB_1, 1),
                Publisher.Vm.rolling("api", 2, API_1, 1));
        controlPlane.awaitCluster("generation 1 running healthy", SETTLE,
                c -> allHealthyOn(c, "web", 2, WEB_1) && allHealthyOn(c, "api", 2, API_1));
        cli = new Cli(home, Map.of("PROCURATOR_CONTROL_PLANE_URL", controlPlane.url(), "PROCURATOR_TOKEN", ADMIN));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    @Test
    @Order(1)
    void statusShowsSourcesWorkersReplicasAndRollouts() throws Exception {
        Cli.Result status = cli.run("status").requireSuccess();

        assertThat(status.out()).contains("control plane: " + controlPlane.url());
        assertThat(line(status.out(), "alice/shop")).contains("main").contains("1").contains(COMMIT_1.substring(0, 10));
        assertThat(line(status.out(), "w1.test")).contains("ready").contains("/4").contains("/8192 MiB");
        assertThat(line(status.out(), "w2.test")).contains("ready");
        assertThat(status.out().lines().filter(l -> l.startsWith("web ") || l.startsWith("api ")).toList())
                .hasSize(4).allSatisfy(l -> assertThat(l).contains("running").contains("healthy").contains("yes"));
        assertThat(status.out()).contains("ROLLOUTS IN PROGRESS");

        JsonNode json = JsonMapper.builder().build().readTree(cli.run("status", "--json").requireSuccess().out());
        assertThat(json.path("workers")).hasSize(2);
        assertThat(json.path("sources").get(0).path("commit").asString()).isEqualTo(COMMIT_1);
    }

    @Test
    @Order(2)
    void statusFailsClearlyWhenTheControlPlaneIsUnreachable() throws Exception {
        String nowhere = "http://127.0.0.1:" + ServiceJar.freePort();
        Cli.Result status = cli.run(Map.of("PROCURATOR_CONTROL_PLANE_URL", nowhere), "status");

        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.err()).contains("Cannot reach " + nowhere).doesNotContain("Exception");
        assertThat(status.out()).isEmpty();
    }

    @Test
    @Order(3)
    void workersAreListedWithStateAndAllocation() throws Exception {
        Cli.Result workers = cli.run("workers").requireSuccess();

        assertThat(workers.out().lines().findFirst().orElseThrow())
                .contains("ID", "HOSTNAME", "STATE", "CPU", "MEMORY");
        // Four replicas of 0.5 CPU and 256 MiB each, spread over the two workers.
        JsonNode json = JsonMapper.builder().build().readTree(cli.run("workers", "--json").requireSuccess().out());
        double cpu = 0;
        for (JsonNode w : json) {
            cpu += w.path("allocated").path("cpu").asDouble();
            assertThat(line(workers.out(), w.path("id").asString() + " ")).contains(w.path("state").asString())
                    .contains(number(w.path("allocated").path("cpu").asDouble()) + "/4");
        }
        assertThat(cpu).isEqualTo(2.0);
    }

    @Test
    @Order(4)
    void aRollingRolloutIsPausedResumedAndShownWithItsTransitions() throws Exception {
        // A replica must stay healthy for a minute before the next one goes: the rollout stays in progress.
        controlPlane.publish("2222222222aaaaaaaaaabbbbbbbbbbcccccccccc", Publisher.Vm.canary("web", 2, WEB_1, 1),
                Publisher.Vm.rolling("api", 2, API_2, 60));
        controlPlane.awaitCluster("api's rollout of generation 2 in progress", SETTLE,
                c -> rolloutOf(c, "api").path("generation").asLong() == 2
                        && rolloutOf(c, "api").path("state").asString().equals("inProgress"));

        Cli.Result paused = cli.run("deploy", "pause", "api").requireSuccess();
        assertThat(paused.out()).startsWith("api: rolling rollout").contains(" is paused");
        assertThat(rolloutOf(controlPlane.cluster(), "api").path("state").asString()).isEqualTo("paused");
        assertThat(line(cli.run("deploy", "list", "--vm", "api").requireSuccess().out(), "paused"))
                .contains("api").contains("rolling").contains("2 (from 1)");

        Cli.Result resumed = cli.run("deploy", "resume", "api").requireSuccess();
        assertThat(resumed.out()).contains(" is inProgress");
        assertThat(rolloutOf(controlPlane.cluster(), "api").path("state").asString()).isEqualTo("inProgress");

        Cli.Result show = cli.run("deploy", "show", "api").requireSuccess();
        assertThat(show.out()).contains("vm:          api").contains("strategy:    rolling")
                .contains("generation:  2 (from 1)");
        String transitions = show.out().substring(show.out().indexOf("AT "));
        assertThat(transitions.lines().filter(l -> l.contains("inProgress") && l.contains("paused")).count())
                .as(transitions).isEqualTo(2);

        Cli.Result byId = cli.run("deploy", "show", rolloutOf(controlPlane.cluster(), "api").path("id").asString(),
                "--json").requireSuccess();
        assertThat(JsonMapper.builder().build().readTree(byId.out()).path("vm").asString()).isEqualTo("api");
    }

    @Test
    @Order(5)
    void aRollbackTakesTheVmBackToAnEarlierGeneration() throws Exception {
        Cli.Result rollback = cli.run("deploy", "rollback", "api", "--to", "1").requireSuccess();
        assertThat(rollback.out()).startsWith("api: ");

        controlPlane.awaitCluster("api desired on generation 1's closure again", SETTLE,
                c -> replicas(c, "api").stream().anyMatch(r -> r.path("desiredClosure").asString().equals(API_1)
                        && r.path("observedClosure").asString().equals(API_1)));
        assertThat(cli.run("deploy", "show", "api").requireSuccess().out()).contains(rolloutOf(controlPlane.cluster(),
                "api").path("state").asString());

        Cli.Result noRollout = cli.run("deploy", "show", "nope");
        assertThat(noRollout.exit()).isEqualTo(1);
        assertThat(noRollout.err()).contains("No rollout of a VM named 'nope'");

        Cli.Result unknown = cli.run("deploy", "rollback", "nope");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("HTTP 404");
    }

    @Test
    @Order(6)
    void aPausedCanaryIsPromoted() throws Exception {
        controlPlane.publish("3333333333aaaaaaaaaabbbbbbbbbbcccccccccc", Publisher.Vm.canary("web", 2, WEB_2, 1),
                Publisher.Vm.rolling("api", 2, API_1, 1));
        controlPlane.awaitCluster("web's canary healthy and paused", SETTLE,
                c -> rolloutOf(c, "web").path("state").asString().equals("paused")
                        && rolloutOf(c, "web").path("healthyReplicas").asInt() == 1);
        assertThat(line(cli.run("status").requireSuccess().out(), "canary")).contains("web").contains("paused")
                .contains("1 healthy, 1 updated of 2");

        Cli.Result promoted = cli.run("deploy", "promote", "web").requireSuccess();
        assertThat(promoted.out()).startsWith("web: canary rollout").doesNotContain("is paused");

        controlPlane.awaitCluster("web on its new closure everywhere", SETTLE, c -> allHealthyOn(c, "web", 2, WEB_2)
                && rolloutOf(c, "web").path("state").asString().equals("succeeded"));
        assertThat(cli.run("deploy", "show", "web").requireSuccess().out()).contains("state:       succeeded");

        Cli.Result again = cli.run("deploy", "promote", "web");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("HTTP 409");
    }

    @Test
    @Order(7)
    void aDrainedWorkerGivesUpItsReplicasUntilUndone() throws Exception {
        Cli.Result drain = cli.run("workers", "drain", "w2").requireSuccess();
        assertThat(drain.out()).contains("Draining worker w2").contains("state draining");
        assertThat(worker(controlPlane.cluster(), "w2").path("state").asString()).isEqualTo("draining");
        controlPlane.awaitCluster("no replica left on w2", SETTLE, c -> {
            boolean none = true;
            for (JsonNode v : c.path("vms")) {
                none &= !v.path("worker").asString().equals("w2");
            }
            return none;
        });
        assertThat(line(cli.run("workers").requireSuccess().out(), "w2 ")).contains("draining").contains("0/4");

        Cli.Result undo = cli.run("workers", "drain", "--undo", "w2").requireSuccess();
        assertThat(undo.out()).contains("Worker w2 takes replicas again").contains("state ready");
        assertThat(worker(controlPlane.cluster(), "w2").path("state").asString()).isEqualTo("ready");

        Cli.Result noToken = cli.run(Map.of("PROCURATOR_TOKEN", ""), "workers", "drain", "w1");
        assertThat(noToken.exit()).isEqualTo(1);
        assertThat(noToken.err()).contains("No token");
        assertThat(worker(controlPlane.cluster(), "w1").path("state").asString()).isEqualTo("ready");
    }

    private static String line(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + containing + "' in:\n" + text));
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
