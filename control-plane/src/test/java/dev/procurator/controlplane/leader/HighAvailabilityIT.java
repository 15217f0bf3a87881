package dev.procurator.controlplane.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.testing.TestDatabase;
import dev.procurator.controlplane.testing.Blueprints;
import dev.procurator.controlplane.testing.ControlPlaneInstance;
import dev.procurator.controlplane.testing.Http;
import dev.procurator.controlplane.testing.MasterClient;
import dev.procurator.controlplane.testing.SimulatedWorker;
import dev.procurator.schema.Common;
import dev.procurator.schema.client.MasterErrors;
import tools.jackson.databind.JsonNode;

/**
 * Two control-plane instances on one real PostgreSQL: one leads, the follower refuses writes naming the leader, and
 * when the leader stops mid-rollout the other takes over within 15 s and finishes the rollout with the same workers.
 */
class HighAvailabilityIT {

    private static final String A = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-web";
    private static final String B = "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-web";

    @RegisterExtension
    static TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    private ControlPlaneInstance instance(String name, int rpcPort) {
        Map<String, Object> p = ControlPlaneInstance.defaults(dir.resolve(name));
        p.put("spring.datasource.url", db.jdbcUrl());
        p.put("spring.datasource.username", db.username());
        p.put("spring.datasource.password", db.password());
        p.put("procurator.control-plane.rpc-port", String.valueOf(rpcPort));
        ControlPlaneInstance instance = ControlPlaneInstance.start(p);
        closeables.add(instance);
        return instance;
    }

    @Test
    void oneLeadsTheFollowerRedirectsAndTakesOverMidRollout() throws Exception {
        int portA = ControlPlaneInstance.freePort();
        int portB = ControlPlaneInstance.freePort();
        ControlPlaneInstance first = instance("a", portA);
        await().atMost(Duration.ofSeconds(20)).until(first::isLeader);
        ControlPlaneInstance second = instance("b", portB);
        Thread.sleep(2000);
        assertThat(second.isLeader()).isFalse();
        assertThat(first.isLeader()).isTrue();

        try (MasterClient follower = new MasterClient(second.rpcAddress())) {
            var leader = follower.master().getLeader().get(10, TimeUnit.SECONDS);
            assertThat(leader.getIsLeader()).isFalse();
            assertThat(leader.getRpcAddress().toString()).isEqualTo("localhost:" + portA);
            assertThatThrownBy(() -> follower.publish("acme/shop", "main", "c1", Map.of("web",
                    Blueprints.vm(1, Blueprints.rolling(1))), Map.of("web", A)))
                    .satisfies(e -> {
                        assertThat(MasterErrors.code(e)).isEqualTo(MasterErrors.NOT_LEADER);
                        assertThat(MasterErrors.leaderAddress(e)).contains("localhost:" + portA);
                    });
            Common.ClusterStatus.Reader status = follower.master().getClusterStatus().get(10, TimeUnit.SECONDS)
                    .getStatus();
            assertThat(status.getLeaderRpc().toString()).isEqualTo("localhost:" + portA);
        }
        Http.Response refused = new Http(second.httpUrl()).post("/api/v1/workers/w1/drain", "{\"drain\": true}");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body().get("error").asText()).isEqualTo("not_leader");
        assertThat(refused.body().get("message").asText()).contains(first.httpUrl().replace("127.0.0.1", "localhost"));

        String endpoints = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
        List<SimulatedWorker> workers = new ArrayList<>();
        for (String id : List.of("w1", "w2")) {
            SimulatedWorker worker = new SimulatedWorker(endpoints, id);
            closeables.add(worker);
            workers.add(worker);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.stream().allMatch(SimulatedWorker::isRegistered));
        try (MasterClient client = new MasterClient(first.rpcAddress())) {
            client.publish("acme/shop", "main", "c1", Map.of("web", Blueprints.vm(2, Blueprints.rolling(1))),
                    Map.of("web", A));
            awaitRollout(new Http(first.httpUrl()), "succeeded", 1);
            workers.forEach(w -> w.health(closure -> closure.equals(B) ? Common.Health.UNKNOWN
                    : Common.Health.HEALTHY));
            assertThat(client.publish("acme/shop", "main", "c2", Map.of("web",
                    Blueprints.vm(2, Blueprints.rolling(1))), Map.of("web", B)).number()).isEqualTo(2);
        }
        awaitRollout(new Http(first.httpUrl()), "inProgress", 2);

        long stopped = System.nanoTime();
        first.close();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(second::isLeader);
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(15));
        workers.forEach(w -> w.health(closure -> Common.Health.HEALTHY));
        Http http = new Http(second.httpUrl());
        awaitRollout(http, "succeeded", 2);
        await().atMost(Duration.ofSeconds(15)).until(() -> workers.stream().flatMap(w -> w.held().values().stream())
                .filter(h -> h.storePath().equals(B)).count() == 2);
        JsonNode cluster = http.get("/api/v1/cluster").body();
        assertThat(cluster.get("leaderRpc").asText()).isEqualTo("localhost:" + portB);
        assertThat(cluster.get("sources").get(0).get("generation").asLong()).isEqualTo(2);
    }

    private static void awaitRollout(Http http, String state, long generation) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (JsonNode rollout : http.get("/api/v1/cluster").body().get("rollouts")) {
                if (rollout.get("state").asText().equals(state) && rollout.get("generation").asLong() == generation) {
                    return true;
                }
            }
            return false;
        });
    }
}
