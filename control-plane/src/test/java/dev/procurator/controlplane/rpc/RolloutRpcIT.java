package dev.procurator.controlplane.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.controlplane.generation.Publisher;
import dev.procurator.controlplane.leader.LeaderWrites;
import dev.procurator.controlplane.testing.Blueprints;
import dev.procurator.controlplane.testing.ControlPlaneInstance;
import dev.procurator.controlplane.testing.Http;
import dev.procurator.controlplane.testing.MasterClient;
import dev.procurator.controlplane.testing.SimulatedWorker;
import dev.procurator.schema.Common;
import dev.procurator.schema.blueprint.Blueprint;
import dev.procurator.schema.client.MasterErrors;
import tools.jackson.databind.JsonNode;

/** The control plane over real Cap'n Proto sockets, with simulated workers: publish to healthy, and what goes wrong. */
class RolloutRpcIT {

    private static final String A = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-web";
    private static final String B = "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-web";
    private static final String C = "/nix/store/cccccccccccccccccccccccccccccccc-db";

    @TempDir
    Path dataDir;

    private ControlPlaneInstance plane;
    private MasterClient client;
    private Http http;
    private final List<SimulatedWorker> workers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        plane = ControlPlaneInstance.start(dataDir);
        await().atMost(Duration.ofSeconds(20)).until(plane::isLeader);
        client = new MasterClient(plane.rpcAddress());
        http = new Http(plane.httpUrl());
    }

    @AfterEach
    void stop() {
        workers.forEach(SimulatedWorker::close);
        if (client != null) {
            client.close();
        }
        plane.close();
    }

    private SimulatedWorker worker(String id) {
        SimulatedWorker worker = new SimulatedWorker(plane.rpcAddress(), id);
        workers.add(worker);
        return worker;
    }

    private void awaitWorkers(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.stream().filter(SimulatedWorker::isRegistered)
                .count() == count);
    }

    private JsonNode rolloutOf(String vm) throws Exception {
        for (JsonNode rollout : http.get("/api/v1/cluster").body().get("rollouts")) {
            if (rollout.get("vm").asText().equals(vm)) {
                return rollout;
            }
        }
        return null;
    }

    private void awaitRollout(String vm, String state, long generation) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode rollout = rolloutOf(vm);
            return rollout != null && rollout.get("state").asText().equals(state)
                    && rollout.get("generation").asLong() == generation;
        });
    }

    /** Closures every worker holds for a VM, by replica. */
    private Map<Integer, String> held(String vm) {
        return workers.stream().flatMap(w -> w.held().values().stream()).filter(h -> h.vm().equals(vm))
                .collect(Collectors.toMap(SimulatedWorker.Held::replica, SimulatedWorker.Held::storePath));
    }

    @Test
    void publishedGenerationIsPlacedRolledOutAndShown() throws Exception {
        worker("w1");
        worker("w2");
        worker("w3");
        awaitWorkers(3);

        var published = client.publish("acme/shop", "main", "c0ffee1", Map.of("web",
                Blueprints.vm(3, Blueprints.rolling(1))), Map.of("web", A));
        assertThat(published).isEqualTo(new MasterClient.Published(1, true));

        awaitRollout("web", "succeeded", 1);
        assertThat(held("web")).containsOnlyKeys(0, 1, 2).containsValues(A);
        // spread: one replica per worker
        assertThat(workers).allSatisfy(w -> assertThat(w.held()).hasSize(1));

        JsonNode cluster = http.get("/api/v1/cluster").body();
        assertThat(cluster.get("leader").asText()).isNotEmpty();
        assertThat(cluster.get("leaderRpc").asText()).endsWith(":" + plane.rpcAddress().split(":")[1]);
        JsonNode source = cluster.get("sources").get(0);
        assertThat(source.get("repo").asText()).isEqualTo("acme/shop");
        assertThat(source.get("branch").asText()).isEqualTo("main");
        assertThat(source.get("generation").asLong()).isEqualTo(1);
        assertThat(source.get("commit").asText()).isEqualTo("c0ffee1");
        assertThat(cluster.get("workers")).hasSize(3);
        JsonNode w1 = cluster.get("workers").get(0);
        assertThat(w1.get("state").asText()).isEqualTo("ready");
        assertThat(w1.get("capacity").get("cpu").asDouble()).isEqualTo(8.0);
        assertThat(w1.get("allocated").get("cpu").asDouble()).isEqualTo(1.0);
        assertThat(w1.get("allocated").get("memoryMb").asLong()).isEqualTo(512);
        assertThat(cluster.get("vms")).hasSize(3).allSatisfy(vm -> {
            assertThat(vm.get("name").asText()).isEqualTo("web");
            assertThat(vm.get("desiredClosure").asText()).isEqualTo(A);
            assertThat(vm.get("observedClosure").asText()).isEqualTo(A);
            assertThat(vm.get("state").asText()).isEqualTo("running");
            assertThat(vm.get("health").asText()).isEqualTo("healthy");
            assertThat(vm.get("source").asText()).isEqualTo("acme/shop@main");
        });
        JsonNode rollout = rolloutOf("web");
        assertThat(rollout.get("strategy").asText()).isEqualTo("rolling");
        assertThat(rollout.get("healthyReplicas").asInt()).isEqualTo(3);
        JsonNode detail = http.get("/api/v1/rollouts/" + rollout.get("id").asLong()).body();
        assertThat(detail.get("transitions")).extracting(t -> t.get("to").asText())
                .containsExactly("pending", "inProgress", "succeeded");

        // the Cap'n Proto view agrees
        Common.ClusterStatus.Reader status = client.master().getClusterStatus().get().getStatus();
        assertThat(status.getGeneration()).isEqualTo(1);
        assertThat(status.getReplicas().size()).isEqualTo(3);
        assertThat(status.getRollouts().get(0).getState()).isEqualTo(Common.RolloutState.SUCCEEDED);
        assertThat(status.getWorkers().size()).isEqualTo(3);
    }

    @Test
    void identicalPublishIsANoOpAndAChangeTouchesOnlyItsVm() throws Exception {
        worker("w1");
        worker("w2");
        awaitWorkers(2);
        Map<String, Blueprint.Vm> vms = Map.of("web", Blueprints.vm(2, Blueprints.rolling(1)),
                "db", Blueprints.vm(1, Blueprints.rolling(1)));
        client.publish("acme/shop", "main", "c1", vms, Map.of("web", A, "db", C));
        awaitRollout("web", "succeeded", 1);
        awaitRollout("db", "succeeded", 1);
        long dbRollout = rolloutOf("db").get("id").asLong();
        long events = http.get("/api/v1/events?since=0").body().size();

        assertThat(client.publish("acme/shop", "main", "c1", vms, Map.of("web", A, "db", C)))
                .isEqualTo(new MasterClient.Published(1, false));
        assertThat(http.get("/api/v1/events?since=0").body().size()).isEqualTo(events);

        assertThat(client.publish("acme/shop", "main", "c2", vms, Map.of("web", B, "db", C)))
                .isEqualTo(new MasterClient.Published(2, true));
        awaitRollout("web", "succeeded", 2);
        assertThat(held("web")).containsOnlyKeys(0, 1).containsValues(B).doesNotContainValue(A);
        assertThat(rolloutOf("db").get("id").asLong()).isEqualTo(dbRollout);
        assertThat(held("db")).containsValue(C);

        // an older commit published again is a new generation
        assertThat(client.publish("acme/shop", "main", "c1", vms, Map.of("web", A, "db", C)))
                .isEqualTo(new MasterClient.Published(3, true));
        awaitRollout("web", "succeeded", 3);
        assertThat(held("web")).containsValues(A).doesNotContainValue(B);

        JsonNode generations = http.get("/api/v1/generations?source=acme/shop@main").body();
        assertThat(generations).extracting(g -> g.get("number").asLong()).containsExactly(3L, 2L, 1L);
        JsonNode second = http.get("/api/v1/generations/" + generations.get(1).get("id").asLong()).body();
        assertThat(second.get("closures").get("web").asText()).isEqualTo(B);
        assertThat(second.get("blueprint").get("web").get("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void failingHealthRollsBackToThePreviousClosure() throws Exception {
        worker("w1").health(closure -> closure.equals(B) ? Common.Health.UNHEALTHY : Common.Health.HEALTHY);
        worker("w2").health(closure -> closure.equals(B) ? Common.Health.UNHEALTHY : Common.Health.HEALTHY);
        awaitWorkers(2);
        client.publish("acme/shop", "main", "c1", Map.of("web", Blueprints.vm(2, Blueprints.rolling(1))),
                Map.of("web", A));
        awaitRollout("web", "succeeded", 1);

        client.publish("acme/shop", "main", "c2", Map.of("web", Blueprints.vm(2, Blueprints.rolling(1))),
                Map.of("web", B));
        awaitRollout("web", "rolledBack", 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> held("web").values().stream().allMatch(A::equals));
        JsonNode rollout = rolloutOf("web");
        JsonNode detail = http.get("/api/v1/rollouts/" + rollout.get("id").asLong()).body();
        assertThat(detail.get("transitions")).extracting(t -> t.get("to").asText())
                .containsExactly("pending", "inProgress", "rollingBack", "rolledBack");
        assertThat(detail.get("transitions").get(2).get("reason").asText()).contains("failed").contains("HTTP 503");
        JsonNode events = http.get("/api/v1/events?since=0").body();
        assertThat(events).anySatisfy(e -> assertThat(e.get("message").asText()).contains("inProgress -> rollingBack"));

        // A later generation that changes another VM does not retry web's closure known to fail.
        client.publish("acme/shop", "main", "c3", Map.of("web", Blueprints.vm(2, Blueprints.rolling(1)),
                "db", Blueprints.vm(1, Blueprints.rolling(1))), Map.of("web", B, "db", C));
        awaitRollout("db", "succeeded", 3);
        assertThat(rolloutOf("web").get("id").asLong()).as("no new rollout of web").isEqualTo(rollout.get("id").asLong());
        assertThat(held("web").values()).containsOnly(A);
        assertThat(http.get("/api/v1/events?since=0").body()).anySatisfy(e -> assertThat(e.get("message").asText())
                .contains("web unchanged since generation 2: it stays on generation 1 (rolled back)"));
    }

    @Test
    void blueGreenSwitchesToANewSetAndANewerGenerationSupersedesAnUnfinishedRollout() throws Exception {
        String d = "/nix/store/dddddddddddddddddddddddddddddddd-web";
        for (String id : List.of("w1", "w2", "w3")) {
            worker(id).health(closure -> closure.equals(B) ? Common.Health.UNKNOWN : Common.Health.HEALTHY);
        }
        awaitWorkers(3);
        Blueprint.Vm blueGreen = Blueprints.vm(2, Blueprints.blueGreen(2, 1));
        client.publish("acme/shop", "main", "c1", Map.of("web", blueGreen), Map.of("web", A));
        awaitRollout("web", "succeeded", 1);
        assertThat(held("web")).containsOnlyKeys(0, 1);

        // generation 2 never gets healthy: its new set runs beside the old one until generation 3 supersedes it
        client.publish("acme/shop", "main", "c2", Map.of("web", blueGreen), Map.of("web", B));
        await().atMost(Duration.ofSeconds(10)).until(() -> held("web").size() == 4);
        assertThat(held("web")).containsEntry(0, A).containsEntry(1, A).containsEntry(2, B).containsEntry(3, B);
        long superseded = rolloutOf("web").get("id").asLong();

        client.publish("acme/shop", "main", "c3", Map.of("web", blueGreen), Map.of("web", d));
        awaitRollout("web", "succeeded", 3);
        JsonNode old = http.get("/api/v1/rollouts/" + superseded).body();
        assertThat(old.get("state").asText()).isEqualTo("superseded");
        assertThat(old.get("reason").asText()).contains("generation 3");
        // after keepOld (1 s) only the new set of generation 3 runs
        await().atMost(Duration.ofSeconds(10)).until(() -> held("web").size() == 2);
        assertThat(held("web").values()).containsOnly(d);
        // the superseded set is gone, so the ids above the old set are free again
        assertThat(held("web").keySet()).containsOnly(2, 3);
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws Exception {
        worker("w1");
        awaitWorkers(1);
        client.publish("acme/shop", "main", "c1", Map.of("web", Blueprints.vm(1, Blueprints.rolling(1))),
                Map.of("web", A));
        awaitRollout("web", "succeeded", 1);
        JsonNode before = http.get("/api/v1/cluster").body();
        long events = http.get("/api/v1/events?since=0").body().size();

        Blueprint.Vm zeroCpu = Blueprints.vm(0, 512, 1, Blueprints.rolling(1), true);
        assertInvalid(() -> client.publish("acme/shop", "main", "c2", Map.of("web", zeroCpu), Map.of("web", B)),
                "vms.web.cpu");
        Blueprint.Vm noReplicas = Blueprints.vm(1, 512, 0, Blueprints.rolling(1), true);
        assertInvalid(() -> client.publish("acme/shop", "main", "c2", Map.of("web", noReplicas), Map.of("web", B)),
                "replicas");
        Blueprint.Vm unknownStrategy = Blueprints.vm(1, 512, 1, new Blueprint.Strategy("big-bang", 1, 0, 20, 40,
                null, null, null, null), true);
        // the Cap'n Proto union cannot carry an unknown strategy; other ways in (a stored file, the Blueprint
        // model) meet the same validation
        var unknown = new Publisher.Published("acme/shop", "main", "c2", "", new Blueprint(new java.util.TreeMap<>(
                Map.of("web", unknownStrategy))), Map.of("web", B));
        assertThatThrownBy(() -> plane.bean(LeaderWrites.class).write(() -> plane.bean(Publisher.class)
                .publish(unknown, System.currentTimeMillis())))
                .isInstanceOf(Publisher.InvalidGenerationException.class).hasMessageContaining("strategy.type");
        assertInvalid(() -> client.publish("acme/shop", "main", "c2", Map.of("web",
                Blueprints.vm(1, Blueprints.rolling(1))), Map.of()), "closures.web");
        assertInvalid(() -> client.publish("acme/other", "main", "c2", Map.of("web",
                Blueprints.vm(1, Blueprints.rolling(1))), Map.of("web", B)), "already defined by acme/shop@main");
        assertInvalid(() -> client.publish("not a repo", "main", "c2", Map.of("web",
                Blueprints.vm(1, Blueprints.rolling(1))), Map.of("web", B)), "repository");
        // more CPU than any worker has is not invalid: it waits, unplaced, for capacity
        assertThat(client.master().heartbeat(p -> p.setWorkerId("nobody")).get().getKnown()).isFalse();
        assertThatThrownBy(() -> client.master().getAssignment(p -> p.setWorkerId("nobody")).get())
                .satisfies(e -> assertThat(MasterErrors.code(e)).isEqualTo(MasterErrors.UNKNOWN_WORKER));
        assertThatThrownBy(() -> client.master().pushData(p -> p.setWorkerId("nobody")).get())
                .satisfies(e -> assertThat(MasterErrors.code(e)).isEqualTo(MasterErrors.UNKNOWN_WORKER));
        assertThatThrownBy(() -> client.master().drainWorker(p -> p.setWorkerId("nobody")).get())
                .satisfies(e -> assertThat(MasterErrors.code(e)).isEqualTo(MasterErrors.UNKNOWN_WORKER));
        assertThatThrownBy(() -> client.master().promote(p -> p.setVm("nope")).get())
                .satisfies(e -> assertThat(MasterErrors.code(e)).isEqualTo(MasterErrors.NOT_FOUND));
        assertThatThrownBy(() -> client.master().promote(p -> p.setVm("web")).get())
                .satisfies(e -> assertThat(MasterErrors.code(e)).isEqualTo(MasterErrors.CONFLICT));

        assertThat(http.get("/api/v1/events?since=0").body().size()).isEqualTo(events);
        JsonNode after = http.get("/api/v1/cluster").body();
        assertThat(after.get("sources")).isEqualTo(before.get("sources"));
        assertThat(after.get("vms")).isEqualTo(before.get("vms"));
        assertThat(after.get("rollouts")).isEqualTo(before.get("rollouts"));
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String mentions) {
        assertThatThrownBy(call).satisfies(e -> {
            assertThat(MasterErrors.code(e)).isEqualTo(MasterErrors.INVALID);
            assertThat(MasterErrors.message(e)).contains(mentions);
        });
    }
}
