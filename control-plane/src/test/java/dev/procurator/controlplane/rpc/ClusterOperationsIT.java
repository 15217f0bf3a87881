package dev.procurator.controlplane.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.controlplane.testing.Blueprints;
import dev.procurator.controlplane.testing.ControlPlaneInstance;
import dev.procurator.controlplane.testing.Http;
import dev.procurator.controlplane.testing.MasterClient;
import dev.procurator.controlplane.testing.SimulatedWorker;
import dev.procurator.schema.Common;
import tools.jackson.databind.JsonNode;

/** Workers lost and drained, a restart mid-rollout, operators' calls: over real sockets with simulated workers. */
class ClusterOperationsIT {

    private static final String A = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-web";
    private static final String B = "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-web";

    @TempDir
    Path dataDir;

    private ControlPlaneInstance plane;
    private final List<SimulatedWorker> workers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        workers.forEach(SimulatedWorker::close);
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (plane != null) {
            plane.close();
        }
    }

    private ControlPlaneInstance start(Map<String, Object> properties) {
        plane = ControlPlaneInstance.start(properties);
        await().atMost(Duration.ofSeconds(20)).until(plane::isLeader);
        return plane;
    }

    private MasterClient client() throws Exception {
        MasterClient client = new MasterClient(plane.rpcAddress());
        closeables.add(client);
        return client;
    }

    private SimulatedWorker worker(String address, String id) {
        SimulatedWorker worker = new SimulatedWorker(address, id);
        workers.add(worker);
        return worker;
    }

    private JsonNode rolloutOf(Http http, String vm) throws Exception {
        for (JsonNode rollout : http.get("/api/v1/cluster").body().get("rollouts")) {
            if (rollout.get("vm").asText().equals(vm)) {
                return rollout;
            }
        }
        return null;
    }

    private void awaitRollout(Http http, String vm, String state, long generation) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode rollout = rolloutOf(http, vm);
            return rollout != null && rollout.get("state").asText().equals(state)
                    && rollout.get("generation").asLong() == generation;
        });
    }

    private Map<String, List<String>> placement(String vm, List<SimulatedWorker> among) {
        return among.stream().collect(Collectors.toMap(SimulatedWorker::id, w -> w.held().values().stream()
                .filter(h -> h.vm().equals(vm)).map(SimulatedWorker.Held::storePath).toList()));
    }

    @Test
    void workerLostMidRolloutIsDownAndItsReplicaRescheduled() throws Exception {
        start(ControlPlaneInstance.defaults(dataDir));
        Http http = new Http(plane.httpUrl());
        SimulatedWorker w1 = worker(plane.rpcAddress(), "w1");
        SimulatedWorker w2 = worker(plane.rpcAddress(), "w2");
        await().until(() -> w1.isRegistered() && w2.isRegistered());
        MasterClient client = client();
        client.publish("acme/shop", "main", "c1", Map.of("web", Blueprints.vm(2, Blueprints.rolling(1))),
                Map.of("web", A));
        awaitRollout(http, "web", "succeeded", 1);
        SimulatedWorker w3 = worker(plane.rpcAddress(), "w3");
        await().until(w3::isRegistered);

        // generation 2 stays unhealthy-unknown until we say so: the rollout is in progress when w1 dies
        for (SimulatedWorker w : List.of(w1, w2, w3)) {
            w.health(closure -> closure.equals(B) ? Common.Health.UNKNOWN : Common.Health.HEALTHY);
        }
        client.publish("acme/shop", "main", "c2", Map.of("web", Blueprints.vm(2, Blueprints.rolling(1))),
                Map.of("web", B));
        awaitRollout(http, "web", "inProgress", 2);
        w1.crash();

        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(http, "w1").equals("down"));
        for (SimulatedWorker w : List.of(w2, w3)) {
            w.health(closure -> Common.Health.HEALTHY);
        }
        awaitRollout(http, "web", "succeeded", 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> placement("web", List.of(w2, w3)).values().stream()
                .mapToLong(List::size).sum() == 2);
        assertThat(placement("web", List.of(w2, w3)).values()).allSatisfy(c -> assertThat(c).containsOnly(B));
        JsonNode events = http.get("/api/v1/events?since=0").body();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("kind").asText()).isEqualTo("worker");
            assertThat(e.get("worker").asText()).isEqualTo("w1");
            assertThat(e.get("message").asText()).contains("-> down");
        });

        // w1 comes back: it registers again and gets nothing of what moved meanwhile
        SimulatedWorker back = worker(plane.rpcAddress(), "w1");
        await().atMost(Duration.ofSeconds(10)).until(() -> back.isRegistered() && back.revision() > 0);
        assertThat(back.held()).isEmpty();
        await().until(() -> stateOf(http, "w1").equals("ready"));
    }

    private static String stateOf(Http http, String worker) throws Exception {
        for (JsonNode w : http.get("/api/v1/cluster").body().get("workers")) {
            if (w.get("id").asText().equals(worker)) {
                return w.get("state").asText();
            }
        }
        return "";
    }

    @Test
    void drainedWorkerLosesItsReplicasAndTakesNoNewOnes() throws Exception {
        start(ControlPlaneInstance.defaults(dataDir));
        Http http = new Http(plane.httpUrl());
        SimulatedWorker w1 = worker(plane.rpcAddress(), "w1");
        SimulatedWorker w2 = worker(plane.rpcAddress(), "w2");
        await().until(() -> w1.isRegistered() && w2.isRegistered());
        client().publish("acme/shop", "main", "c1", Map.of("web", Blueprints.vm(2, Blueprints.rolling(1))),
                Map.of("web", A));
        awaitRollout(http, "web", "succeeded", 1);
        assertThat(w1.held()).hasSize(1);

        Http.Response drained = http.post("/api/v1/workers/w1/drain", "{\"drain\": true}");
        assertThat(drained.status()).isEqualTo(200);
        assertThat(drained.body().get("state").asText()).isEqualTo("draining");
        assertThat(drained.body().get("id").asText()).isEqualTo("w1");
        await().atMost(Duration.ofSeconds(10)).until(() -> w1.held().isEmpty() && w2.held().size() == 2);

        // over RPC as well: undrain
        var undrained = client().master().drainWorker(p -> {
            p.setWorkerId("w1");
            p.setDrain(false);
        }).get(10, TimeUnit.SECONDS).getWorker();
        assertThat(undrained.getState()).isEqualTo(Common.WorkerState.READY);
        assertThat(undrained.getInfo().getWorkerId().toString()).isEqualTo("w1");

        assertThat(http.post("/api/v1/workers/nobody/drain", "{\"drain\": true}").status()).isEqualTo(404);
        assertThat(http.post("/api/v1/workers/w1/drain", "{}").status()).isEqualTo(400);
        assertThat(http.post("/api/v1/workers/w1/drain", "{\"drain\": true}", null).status()).isEqualTo(401);
    }

    @Test
    void restartMidRolloutContinuesFromThePersistedState() throws Exception {
        int rpcPort = ControlPlaneInstance.freePort();
        Map<String, Object> properties = ControlPlaneInstance.defaults(dataDir);
        properties.put("procurator.control-plane.rpc-port", String.valueOf(rpcPort));
        start(properties);
        String address = "127.0.0.1:" + rpcPort;
        SimulatedWorker w1 = worker(address, "w1");
        SimulatedWorker w2 = worker(address, "w2");
        await().until(() -> w1.isRegistered() && w2.isRegistered());
        try (MasterClient client = new MasterClient(address)) {
            client.publish("acme/shop", "main", "c1", Map.of("web", Blueprints.vm(2, Blueprints.rolling(1))),
                    Map.of("web", A));
            awaitRollout(new Http(plane.httpUrl()), "web", "succeeded", 1);
            w1.health(closure -> closure.equals(B) ? Common.Health.UNKNOWN : Common.Health.HEALTHY);
            w2.health(closure -> closure.equals(B) ? Common.Health.UNKNOWN : Common.Health.HEALTHY);
            client.publish("acme/shop", "main", "c2", Map.of("web", Blueprints.vm(2, Blueprints.rolling(1))),
                    Map.of("web", B));
        }
        awaitRollout(new Http(plane.httpUrl()), "web", "inProgress", 2);
        long rolloutId = rolloutOf(new Http(plane.httpUrl()), "web").get("id").asLong();
        plane.close();

        start(properties);
        Http http = new Http(plane.httpUrl());
        JsonNode resumed = rolloutOf(http, "web");
        assertThat(resumed.get("id").asLong()).isEqualTo(rolloutId);
        assertThat(resumed.get("state").asText()).isEqualTo("inProgress");
        w1.health(closure -> Common.Health.HEALTHY);
        w2.health(closure -> Common.Health.HEALTHY);
        awaitRollout(http, "web", "succeeded", 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> placement("web", List.of(w1, w2)).values().stream()
                .flatMap(List::stream).filter(B::equals).count() == 2);
        JsonNode detail = http.get("/api/v1/rollouts/" + rolloutId).body();
        assertThat(detail.get("transitions")).extracting(t -> t.get("to").asText())
                .containsExactly("pending", "inProgress", "succeeded");
    }

    @Test
    void operatorsPromotePauseResumeAndRollBackOverHttpAndRpc() throws Exception {
        start(ControlPlaneInstance.defaults(dataDir));
        Http http = new Http(plane.httpUrl());
        for (String id : List.of("w1", "w2", "w3")) {
            worker(plane.rpcAddress(), id);
        }
        await().until(() -> workers.stream().allMatch(SimulatedWorker::isRegistered));
        MasterClient client = client();
        var canary = Blueprints.vm(2, Blueprints.canary(1, false, 0));
        client.publish("acme/shop", "main", "c1", Map.of("web", canary), Map.of("web", A));
        awaitRollout(http, "web", "succeeded", 1);

        client.publish("acme/shop", "main", "c2", Map.of("web", canary), Map.of("web", B));
        awaitRollout(http, "web", "paused", 2);
        assertThat(rolloutOf(http, "web").get("reason").asText()).contains("waiting for promote");
        assertThat(workers.stream().flatMap(w -> w.held().values().stream()).map(SimulatedWorker.Held::storePath)
                .toList()).containsExactlyInAnyOrder(A, A, B);
        assertThat(http.post("/api/v1/vms/web/resume", null).status()).isEqualTo(409);
        assertThat(http.post("/api/v1/vms/web/promote", null, null).status()).isEqualTo(401);
        assertThat(http.post("/api/v1/vms/nope/promote", null).status()).isEqualTo(404);

        Http.Response promoted = http.post("/api/v1/vms/web/promote", null);
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.body().get("state").asText()).isIn("inProgress", "succeeded");
        assertThat(promoted.body().get("strategy").asText()).isEqualTo("canary");
        awaitRollout(http, "web", "succeeded", 2);
        await().until(() -> workers.stream().flatMap(w -> w.held().values().stream())
                .map(SimulatedWorker.Held::storePath).toList().equals(List.of(B, B))
                || workers.stream().flatMap(w -> w.held().values().stream()).filter(h -> h.storePath().equals(B))
                .count() == 2 && workers.stream().mapToLong(w -> w.held().size()).sum() == 2);
        assertThat(http.post("/api/v1/vms/web/pause", null).status()).isEqualTo(409);
        assertThat(http.post("/api/v1/vms/web/promote", null).status()).isEqualTo(409);

        // rollback to the last good generation other than the current one: 1
        Http.Response rolledBack = http.post("/api/v1/vms/web/rollback", "{}");
        assertThat(rolledBack.status()).isEqualTo(200);
        assertThat(rolledBack.body().get("fromGeneration").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> rolloutOf(http, "web").get("state").asText()
                .equals("rolledBack"));
        await().until(() -> workers.stream().flatMap(w -> w.held().values().stream())
                .allMatch(h -> h.storePath().equals(A)));

        // pause and resume over RPC, on a rolling change
        var rolling = Blueprints.vm(2, Blueprints.rolling(1));
        workers.forEach(w -> w.health(closure -> closure.equals(B) ? Common.Health.UNKNOWN : Common.Health.HEALTHY));
        client.publish("acme/shop", "main", "c3", Map.of("web", rolling), Map.of("web", B));
        awaitRollout(http, "web", "inProgress", 3);
        var paused = client.master().pause(p -> p.setVm("web")).get(10, TimeUnit.SECONDS).getRollout();
        assertThat(paused.getState()).isEqualTo(Common.RolloutState.PAUSED);
        workers.forEach(w -> w.health(closure -> Common.Health.HEALTHY));
        Thread.sleep(500);
        assertThat(rolloutOf(http, "web").get("state").asText()).isEqualTo("paused");
        var resumed = client.master().resume(p -> p.setVm("web")).get(10, TimeUnit.SECONDS).getRollout();
        assertThat(resumed.getState()).isIn(Common.RolloutState.IN_PROGRESS, Common.RolloutState.SUCCEEDED);
        awaitRollout(http, "web", "succeeded", 3);
        var back = client.master().rollback(p -> {
            p.setVm("web");
            p.setToGeneration(1);
        }).get(10, TimeUnit.SECONDS).getRollout();
        assertThat(back.getState()).isIn(Common.RolloutState.ROLLING_BACK, Common.RolloutState.ROLLED_BACK);
        assertThat(back.getFromGeneration()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> rolloutOf(http, "web").get("state").asText()
                .equals("rolledBack"));
    }
}
