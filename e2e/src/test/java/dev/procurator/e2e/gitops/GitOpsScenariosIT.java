package dev.procurator.e2e.gitops;

import static dev.procurator.e2e.gitops.GitOpsPlatform.REPO;
import static dev.procurator.e2e.gitops.GitOpsPlatform.replicas;
import static dev.procurator.e2e.gitops.GitOpsPlatform.rollout;
import static dev.procurator.e2e.gitops.GitOpsPlatform.runsDesiredHealthy;
import static dev.procurator.e2e.gitops.GitOpsPlatform.settled;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.procurator.common.testing.RequiresTool;
import dev.procurator.common.testing.TestDatabase;
import dev.procurator.worker.testing.VmCleanup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 11's six scenarios on one platform of real processes: the forge, the cache, the CI, two control-plane
 * instances sharing a PostgreSQL database (one leads) and three worker agents, each on its own ports and data dir.
 * {@code example/} is pushed with git and changed push after push; every step reads what a user would (the forge's
 * commit status, the cache, the CLI, the control plane's API, the guests themselves). The steps build on each other
 * in this order: push, change one VM, a failing health check, a canary promoted, a worker lost, a leader lost.
 */
@RequiresTool({"nix", "git", "qemu-system-x86_64"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitOpsScenariosIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PIPELINE = Duration.ofMinutes(4);
    private static final Duration ROLLOUT = Duration.ofMinutes(4);

    @RegisterExtension
    static final TestDatabase database = new TestDatabase();

    @TempDir
    static Path home;

    static GitOpsPlatform platform;
    /** The closures of the last green deployment, by VM. */
    static Map<String, String> closures = new HashMap<>();

    @BeforeAll
    static void startThePlatform() throws Exception {
        platform = GitOpsPlatform.start(home, new GitOpsPlatform.Options(2, 3,
                new GitOpsPlatform.Database(database.jdbcUrl(), database.username(), database.password())));
    }

    @AfterAll
    static void stopThePlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void aPushOfTheExampleRunsEveryReplicaHealthy() throws Exception {
        String commit = platform.pushExample();

        JsonNode pipeline = platform.awaitGreenPipeline(commit, PIPELINE);
        closures = closuresOf(pipeline);
        assertThat(closures).containsOnlyKeys("api", "web");
        JsonNode statuses = platform.api("GET", platform.forge.url + "/api/v1/repos/" + REPO + "/statuses/" + commit,
                null);
        assertThat(statuses.get(0).path("state").asString()).as("the forge shows the commit green: " + statuses)
                .isEqualTo("success");
        for (String closure : closures.values()) {
            String hash = closure.substring("/nix/store/".length(), "/nix/store/".length() + 32);
            assertThat(platform.statusOf(platform.cache.url + "/main/" + hash + ".narinfo"))
                    .as("the cache serves " + closure).isEqualTo(200);
        }

        JsonNode cluster = platform.awaitCluster("every replica of the example healthy", GitOpsPlatform::settled,
                ROLLOUT);
        assertThat(replicas(cluster)).extracting(r -> r.path("name").asString() + "/" + r.path("replica").asInt())
                .containsExactlyInAnyOrder("api/0", "web/0", "web/1");
        for (JsonNode replica : replicas(cluster)) {
            assertThat(replica.path("observedClosure").asString())
                    .isEqualTo(closures.get(replica.path("name").asString()));
        }
        Map<String, JsonNode> running = platform.runningVms();
        assertThat(platform.guest(port(running.get("web/1")), "/")).contains("hello from web, version 1");
        assertThat(platform.guest(port(running.get("api/0")), "/health")).contains("ok");

        GitOpsPlatform.CliResult status = platform.cli("status");
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("REPLICAS").contains(REPO)
                .containsPattern("(?m)^web\\s+0\\s.*\\srunning\\s+healthy\\s.*\\syes\\s")
                .containsPattern("(?m)^web\\s+1\\s.*\\srunning\\s+healthy\\s.*\\syes\\s")
                .containsPattern("(?m)^api\\s+0\\s.*\\srunning\\s+healthy\\s.*\\syes\\s")
                .doesNotContainPattern("\\sNO\\s");
    }

    @Test
    @Order(2)
    void aChangeToOneVmRedeploysOnlyThatVm() throws Exception {
        Map<String, JsonNode> before = platform.runningVms();
        long apiPid = pid(before.get("api/0"));

        String commit = platform.pushEdit("web: version 2", flake -> flake.replace(
                "hello from web, version 1", "hello from web, version 2"));
        JsonNode pipeline = platform.awaitGreenPipeline(commit, PIPELINE);
        assertThat(pipeline.path("changedVms")).extracting(JsonNode::asString).containsExactly("web");
        Map<String, String> next = closuresOf(pipeline);
        assertThat(next.get("api")).isEqualTo(closures.get("api"));
        assertThat(next.get("web")).isNotEqualTo(closures.get("web"));

        JsonNode cluster = platform.awaitCluster("web's two replicas on version 2, healthy", c -> settled(c)
                && replicas(c, "web").stream().allMatch(r -> r.path("observedClosure").asString()
                .equals(next.get("web"))), ROLLOUT);
        JsonNode rollout = rollout(cluster, "web");
        assertThat(rollout.path("strategy").asString()).isEqualTo("rolling");
        assertThat(rollout.path("state").asString()).isEqualTo("succeeded");
        assertThat(rollout(cluster, "api").path("generation").asLong()).as("api was not rolled out again")
                .isLessThan(rollout.path("generation").asLong());

        Map<String, JsonNode> after = platform.runningVms();
        JsonNode api = after.get("api/0");
        assertThat(api.path("startedAtMillis").asLong()).as("api kept running: same start")
                .isEqualTo(before.get("api/0").path("startedAtMillis").asLong());
        assertThat(pid(api)).as("api kept running: same QEMU process").isEqualTo(apiPid);
        assertThat(api.path("metrics").path("uptimeSeconds").asLong())
                .isGreaterThanOrEqualTo(before.get("api/0").path("metrics").path("uptimeSeconds").asLong());
        for (String web : List.of("web/0", "web/1")) {
            assertThat(after.get(web).path("closure").asString()).isEqualTo(next.get("web"));
            assertThat(after.get(web).path("startedAtMillis").asLong()).as(web + " was replaced")
                    .isGreaterThan(before.get(web).path("startedAtMillis").asLong());
            assertThat(platform.guest(port(after.get(web)), "/")).contains("hello from web, version 2");
        }
        closures = next;
    }

    @Test
    @Order(3)
    void aVersionFailingItsHealthCheckIsRolledBack() throws Exception {
        String good = closures.get("web");
        String commit = platform.pushEdit("web: version 3, without /health", flake -> flake.replace(
                "system = kit.httpService { name = \"web\"; body = \"hello from web, version 2\"; };",
                "system = kit.httpService { name = \"web\"; body = \"hello from web, version 3\"; healthy = false; };"));
        JsonNode pipeline = platform.awaitGreenPipeline(commit, PIPELINE);
        String broken = closuresOf(pipeline).get("web");
        assertThat(broken).isNotEqualTo(good);

        JsonNode cluster = platform.awaitCluster("web's rollout of version 3 rolled back", c -> {
            JsonNode rollout = rollout(c, "web");
            return rollout.path("state").asString().equals("rolledBack")
                    && replicas(c, "web").stream().allMatch(r -> runsDesiredHealthy(r)
                    && r.path("observedClosure").asString().equals(good));
        }, ROLLOUT);
        JsonNode rollout = rollout(cluster, "web");
        assertThat(rollout.path("reason").asString()).as("the rollout says why").isNotBlank();
        for (JsonNode web : platform.runningVms().values()) {
            if (web.path("name").asString().equals("web")) {
                assertThat(web.path("closure").asString()).as("the previous closure runs again").isEqualTo(good);
                assertThat(platform.guest(port(web), "/health")).contains("ok");
            }
        }

        GitOpsPlatform.CliResult show = platform.cli("deploy", "show", "web");
        assertThat(show.exit()).as(show.output()).isZero();
        assertThat(show.output()).contains("rolledBack").contains("rollingBack")
                .contains(rollout.path("reason").asString());
        JsonNode detail = platform.api("GET", leaderUrl() + "/api/v1/rollouts/" + rollout.path("id").asLong(), null);
        assertThat(detail.path("state").asString()).isEqualTo("rolledBack");
        assertThat(detail.path("transitions")).anySatisfy(t -> assertThat(t.path("to").asString())
                .isEqualTo("rollingBack"));
        assertThat(detail.path("transitions").toString()).as("the dashboard's API says why").contains("unhealthy");
    }

    @Test
    @Order(4)
    void aCanaryWaitsForProcuratorDeployPromote() throws Exception {
        String old = closures.get("api");
        String commit = platform.pushEdit("api: version 2", flake -> flake.replace("api, version 1", "api, version 2"));
        String next = closuresOf(platform.awaitGreenPipeline(commit, PIPELINE)).get("api");

        JsonNode waiting = platform.awaitCluster("api's canary healthy, waiting for promotion", c ->
                rollout(c, "api").path("state").asString().equals("paused")
                        && replicas(c, "api").stream().anyMatch(r -> runsDesiredHealthy(r)
                        && r.path("observedClosure").asString().equals(next)), ROLLOUT);
        assertThat(replicas(waiting, "api")).as("the canary runs beside the old replica")
                .anySatisfy(r -> assertThat(r.path("observedClosure").asString()).isEqualTo(old))
                .hasSize(2);

        GitOpsPlatform.CliResult promote = platform.cli("deploy", "promote", "api");
        assertThat(promote.exit()).as(promote.output()).isZero();

        platform.awaitCluster("api promoted: one replica, on version 2", c ->
                rollout(c, "api").path("state").asString().equals("succeeded") && settled(c)
                        && replicas(c, "api").size() == 1
                        && replicas(c, "api").get(0).path("observedClosure").asString().equals(next), ROLLOUT);
        JsonNode api = platform.runningVms().values().stream().filter(vm -> vm.path("name").asString().equals("api")
                && vm.path("closure").asString().equals(next) && vm.path("state").asString().equals("running"))
                .findFirst().orElseThrow();
        assertThat(platform.guest(port(api), "/")).contains("api, version 2");
        closures.put("api", next);
    }

    @Test
    @Order(5)
    void aLostWorkersReplicasAreRescheduledOnTheOthers() throws Exception {
        JsonNode before = platform.awaitCluster("settled", GitOpsPlatform::settled, ROLLOUT);
        String victim = busiestWorker(before);
        List<String> moved = replicas(before).stream().filter(r -> r.path("worker").asString().equals(victim))
                .map(r -> r.path("name").asString() + "/" + r.path("replica").asInt()).toList();

        // The host goes away: its agent and its VMs die at once.
        platform.workers.get(victim).kill();
        VmCleanup.killVms(home.resolve(victim));

        JsonNode after = platform.awaitCluster(moved + " of " + victim + " healthy elsewhere", c -> settled(c)
                && replicas(c).stream().noneMatch(r -> r.path("worker").asString().equals(victim)), ROLLOUT);
        assertThat(after.path("workers")).anySatisfy(w -> {
            assertThat(w.path("id").asString()).isEqualTo(victim);
            assertThat(w.path("state").asString()).isNotEqualTo("ready");
        });
        assertThat(replicas(after)).hasSize(3);
        Map<String, JsonNode> running = platform.runningVms();
        for (String replica : moved) {
            assertThat(running).containsKey(replica);
            assertThat(platform.guest(port(running.get(replica)), "/health")).contains("ok");
        }
    }

    @Test
    @Order(6)
    void anotherControlPlaneTakesOverALeadersRolloutAndCompletesIt() throws Exception {
        JsonNode before = platform.awaitCluster("settled", GitOpsPlatform::settled, ROLLOUT);
        String leader = before.path("leaderRpc").asString();
        String commit = platform.pushEdit("web: version 4", flake -> flake.replace(
                "hello from web, version 3\"; healthy = false;", "hello from web, version 4\";"));
        String next = closuresOf(platform.awaitGreenPipeline(commit, PIPELINE)).get("web");
        platform.awaitCluster("web's rollout of version 4 under way", c -> {
            JsonNode rollout = rollout(c, "web");
            return rollout.path("state").asString().equals("inProgress")
                    && replicas(c, "web").stream().anyMatch(r -> r.path("desiredClosure").asString().equals(next));
        }, ROLLOUT);

        GitOpsPlatform.ControlPlane killed = platform.controlPlanes.stream().filter(cp -> cp.rpc().equals(leader))
                .findFirst().orElseThrow(() -> new AssertionError("no instance at the leader's address " + leader));
        killed.jar().kill();

        JsonNode after = platform.awaitCluster("the other instance leads and web runs version 4", c ->
                !c.path("leaderRpc").asString().equals(leader) && settled(c)
                        && rollout(c, "web").path("state").asString().equals("succeeded")
                        && replicas(c, "web").stream().allMatch(r -> r.path("observedClosure").asString().equals(next)),
                ROLLOUT);
        assertThat(replicas(after, "web")).hasSize(2);
    }

    private static String leaderUrl() throws Exception {
        String rpc = platform.cluster().path("leaderRpc").asString();
        return platform.controlPlanes.stream().filter(cp -> cp.rpc().equals(rpc)).findFirst().orElseThrow()
                .jar().url;
    }

    private static String busiestWorker(JsonNode cluster) {
        Map<String, Integer> counts = new HashMap<>();
        replicas(cluster).forEach(r -> counts.merge(r.path("worker").asString(), 1, Integer::sum));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private static Map<String, String> closuresOf(JsonNode pipeline) {
        Map<String, String> closures = new HashMap<>();
        pipeline.path("closures").properties().forEach(e -> closures.put(e.getKey(), e.getValue().asString()));
        return closures;
    }

    private static int port(JsonNode vm) {
        return vm.path("ports").get(0).path("host").asInt();
    }

    /** The QEMU process of a replica, from its agent's record. */
    private static long pid(JsonNode vm) throws Exception {
        for (String worker : platform.workers.keySet()) {
            Path record = home.resolve(worker).resolve("vms")
                    .resolve(vm.path("name").asString() + "." + vm.path("replica").asInt()).resolve("replica.json");
            if (Files.exists(record) && JSON.readTree(Files.readString(record)).path("storePath").asString()
                    .equals(vm.path("closure").asString())) {
                return JSON.readTree(Files.readString(record)).path("pid").asLong();
            }
        }
        throw new AssertionError("no record of " + vm);
    }
}
