package dev.procurator.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.controlplane.testing.Blueprints;
import dev.procurator.controlplane.testing.ControlPlaneInstance;
import dev.procurator.controlplane.testing.Http;
import dev.procurator.controlplane.testing.MasterClient;
import dev.procurator.controlplane.testing.SimulatedWorker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The /api/v1 shapes and errors, the events timeline (JSON and Server-Sent Events), unplaceable replicas. */
class HttpApiIT {

    private static final String A = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-web";

    @TempDir
    Path dataDir;

    private ControlPlaneInstance plane;
    private Http http;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() {
        plane = ControlPlaneInstance.start(dataDir);
        await().atMost(Duration.ofSeconds(20)).until(plane::isLeader);
        http = new Http(plane.httpUrl());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        plane.close();
    }

    @Test
    void unplaceableReplicaShowsTheReasonAndIsPlacedWhenCapacityAppears() throws Exception {
        SimulatedWorker small = new SimulatedWorker(plane.rpcAddress(), "small", 2, 4096, List.of(),
                Duration.ofMillis(100));
        closeables.add(small);
        await().until(small::isRegistered);
        MasterClient client = new MasterClient(plane.rpcAddress());
        closeables.add(client);
        client.publish("acme/shop", "main", "c1", Map.of("web", Blueprints.vm(4, 1024, 1, Blueprints.rolling(1),
                true)), Map.of("web", A));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode vm = http.get("/api/v1/cluster").body().get("vms").get(0);
            assertThat(vm.get("state").asText()).isEqualTo("unplaced");
            assertThat(vm.get("worker").isNull()).isTrue();
            assertThat(vm.get("message").asText()).contains("4");
        });
        JsonNode events = http.get("/api/v1/events?since=0").body();
        assertThat(events).anySatisfy(e -> assertThat(e.get("kind").asText()).isEqualTo("replicaUnplaceable"));

        SimulatedWorker big = new SimulatedWorker(plane.rpcAddress(), "big", 16, 65536, List.of(),
                Duration.ofMillis(100));
        closeables.add(big);
        await().atMost(Duration.ofSeconds(20)).until(() -> big.held().size() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/v1/cluster").body().get("rollouts").get(0)
                .get("state").asText().equals("succeeded"));
        assertThat(small.held()).isEmpty();
    }

    @Test
    void shapesAndErrors() throws Exception {
        SimulatedWorker worker = new SimulatedWorker(plane.rpcAddress(), "w1");
        closeables.add(worker);
        await().until(worker::isRegistered);
        MasterClient client = new MasterClient(plane.rpcAddress());
        closeables.add(client);
        client.publish("acme/shop", "main", "c1", Map.of("web", Blueprints.vm(1, Blueprints.rolling(1))),
                Map.of("web", A));
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/v1/rollouts?vm=web").body().get(0)
                .get("state").asText().equals("succeeded"));

        JsonNode cluster = http.get("/api/v1/cluster").body();
        assertThat(cluster.propertyNames()).containsExactlyInAnyOrder("leader", "leaderRpc", "sources", "workers",
                "vms", "rollouts");
        assertThat(cluster.get("workers").get(0).propertyNames()).containsExactlyInAnyOrder("id", "hostname",
                "state", "labels", "capacity", "allocated", "apiUrl", "lastHeartbeat");
        assertThat(cluster.get("vms").get(0).propertyNames()).containsExactlyInAnyOrder("source", "name", "replica",
                "worker", "desiredClosure", "observedClosure", "state", "health", "generation", "message");
        assertThat(cluster.get("rollouts").get(0).propertyNames()).containsExactlyInAnyOrder("id", "vm", "source",
                "strategy", "state", "reason", "generation", "fromGeneration", "updatedReplicas", "healthyReplicas",
                "totalReplicas", "updatedAt");
        assertThat(cluster.get("sources").get(0).propertyNames()).containsExactlyInAnyOrder("repo", "branch",
                "generation", "commit", "publishedAt");

        assertThat(http.get("/api/v1/rollouts?vm=other").body()).isEmpty();
        assertThat(http.get("/api/v1/rollouts/999999").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/rollouts/999999").body().get("error").asText()).isEqualTo("not_found");
        assertThat(http.get("/api/v1/generations/999999").status()).isEqualTo(404);
        Http.Response badSource = http.get("/api/v1/generations?source=nobranch");
        assertThat(badSource.status()).isEqualTo(400);
        assertThat(badSource.body().get("error").asText()).isEqualTo("invalid");
        assertThat(http.get("/api/v1/generations").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/generations?source=acme/none@main").body()).isEmpty();
        assertThat(http.post("/api/v1/vms/web/rollback", "{\"toGeneration\": 7}").status()).isEqualTo(404);
        assertThat(http.post("/api/v1/vms/web/rollback", "{\"toGeneration\": -1}").status()).isEqualTo(400);
        assertThat(http.post("/api/v1/vms/web/rollback", "{}").status()).isEqualTo(409);

        HttpClient raw = HttpClient.newHttpClient();
        HttpResponse<String> anonymous = raw.send(HttpRequest.newBuilder(URI.create(plane.httpUrl()
                + "/api/v1/cluster")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void eventsAsJsonAndAsServerSentEvents() throws Exception {
        JsonNode before = http.get("/api/v1/events?since=0").body();
        long since = before.isEmpty() ? 0 : before.get(before.size() - 1).get("id").asLong();

        HttpClient raw = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(plane.httpUrl() + "/api/v1/events?since=" + since))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + ControlPlaneInstance.TOKEN)
                .build();
        HttpResponse<java.io.InputStream> stream = raw.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .get(10, TimeUnit.SECONDS);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        CompletableFuture<List<String>> firstEvent = CompletableFuture.supplyAsync(() -> {
            List<String> lines = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                    if (line.startsWith("data:") && line.contains("generationPublished")) {
                        return lines;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return lines;
        });

        try (MasterClient client = new MasterClient(plane.rpcAddress())) {
            client.publish("acme/shop", "main", "c1", Map.of("web", Blueprints.vm(1, Blueprints.rolling(1))),
                    Map.of("web", A));
        }
        List<String> lines = firstEvent.get(20, TimeUnit.SECONDS);
        String data = lines.stream().filter(l -> l.startsWith("data:") && l.contains("generationPublished"))
                .findFirst().orElseThrow().substring(5);
        JsonNode event = JsonMapper.builder().build().readTree(data);
        assertThat(event.propertyNames()).contains("id", "at", "kind", "source", "vm", "worker", "generation",
                "rolloutId", "message");
        assertThat(event.get("source").asText()).isEqualTo("acme/shop@main");
        assertThat(event.get("generation").asLong()).isEqualTo(1);
        assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo("id:" + event.get("id").asLong()));
        assertThat(event.get("id").asLong()).isGreaterThan(since);

        JsonNode after = http.get("/api/v1/events?since=" + since).body();
        assertThat(after).extracting(e -> e.get("kind").asText()).contains("generationPublished", "rollout");
        assertThat(after).allSatisfy(e -> assertThat(e.get("id").asLong()).isGreaterThan(since));
    }
}
