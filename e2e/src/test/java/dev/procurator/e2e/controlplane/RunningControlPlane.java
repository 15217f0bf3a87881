package dev.procurator.e2e.controlplane;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.procurator.controlplane.testing.SimulatedWorker;
import dev.procurator.e2e.ServiceJar;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real control-plane jar on free HTTP and Cap'n Proto ports, with simulated workers registered over RPC and a
 * publisher of generations; read back through its HTTP API (with the admin token) as the CLI reads it.
 */
final class RunningControlPlane implements AutoCloseable {

    static final String REPO = "alice/shop";
    static final String BRANCH = "main";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final String adminToken;
    final ServiceJar jar;
    final String rpc;
    final Publisher publisher;
    private final List<SimulatedWorker> workers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningControlPlane(String adminToken, ServiceJar jar, String rpc) {
        this.adminToken = adminToken;
        this.jar = jar;
        this.rpc = rpc;
        this.publisher = new Publisher(rpc);
    }

    static RunningControlPlane start(Path dataDir, String adminToken) throws Exception {
        return start(dataDir, adminToken, Map.of());
    }

    /** An instance with more environment, e.g. a PostgreSQL database it shares with another instance. */
    static RunningControlPlane start(Path dataDir, String adminToken, Map<String, String> env) throws Exception {
        int rpcPort = ServiceJar.freePort();
        Map<String, String> all = new HashMap<>(env);
        all.put("PROCURATOR_ADMIN_TOKEN", adminToken);
        all.put("PROCURATOR_RPC_PORT", Integer.toString(rpcPort));
        ServiceJar jar = ServiceJar.start("control-plane", dataDir, all);
        RunningControlPlane controlPlane = new RunningControlPlane(adminToken, jar, "127.0.0.1:" + rpcPort);
        try {
            jar.awaitHealthy(Duration.ofMinutes(2));
        } catch (AssertionError | Exception e) {
            controlPlane.close();
            throw e;
        }
        return controlPlane;
    }

    String url() {
        return jar.url;
    }

    /** A worker with the label {@code test}, registered over Cap'n Proto, reporting its replicas healthy. */
    SimulatedWorker addWorker(String id, double cpu, long memoryMb) throws InterruptedException {
        SimulatedWorker worker = new SimulatedWorker(rpc, id, cpu, memoryMb, List.of("test"), Duration.ofMillis(300));
        workers.add(worker);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!worker.isRegistered()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("worker " + id + " did not register within 30 s");
            }
            Thread.sleep(50);
        }
        return worker;
    }

    long publish(String commit, Publisher.Vm... vms) throws Exception {
        return publisher.publish(REPO, BRANCH, commit, List.of(vms));
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(jar.url + path))
                        .header("Accept", "application/json").header("Authorization", "Bearer " + adminToken).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    JsonNode cluster() throws Exception {
        return get("/api/v1/cluster");
    }

    /** Polls the cluster until {@code condition} holds; fails with the last cluster seen and the service's log. */
    JsonNode awaitCluster(String what, Duration within, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode cluster = null;
        while (System.nanoTime() < deadline) {
            cluster = cluster();
            if (condition.test(cluster)) {
                return cluster;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + within + ": " + what + "\ncluster: " + cluster
                + "\nlog:\n" + jar.logTail());
    }

    /** The replicas of {@code vm} in a cluster answer. */
    static List<JsonNode> replicas(JsonNode cluster, String vm) {
        List<JsonNode> found = new ArrayList<>();
        cluster.path("vms").forEach(v -> {
            if (v.path("name").asString().equals(vm)) {
                found.add(v);
            }
        });
        return found;
    }

    /** Every replica of {@code vm} ({@code count} of them) runs {@code closure}, healthy. */
    static boolean allHealthyOn(JsonNode cluster, String vm, int count, String closure) {
        List<JsonNode> replicas = replicas(cluster, vm);
        return replicas.size() == count && replicas.stream().allMatch(r ->
                r.path("desiredClosure").asString().equals(closure)
                        && r.path("observedClosure").asString().equals(closure)
                        && r.path("health").asString().equals("healthy"));
    }

    /** The cluster's rollout of {@code vm}, or a missing node. */
    static JsonNode rolloutOf(JsonNode cluster, String vm) {
        JsonNode found = JSON.missingNode();
        for (JsonNode r : cluster.path("rollouts")) {
            if (r.path("vm").asString().equals(vm)
                    && (found.isMissingNode() || r.path("id").asLong() > found.path("id").asLong())) {
                found = r;
            }
        }
        return found;
    }

    static JsonNode worker(JsonNode cluster, String id) {
        for (JsonNode w : cluster.path("workers")) {
            if (w.path("id").asString().equals(id)) {
                return w;
            }
        }
        return JSON.missingNode();
    }

    @Override
    public void close() throws Exception {
        for (SimulatedWorker worker : workers) {
            worker.close();
        }
        jar.close();
    }
}
