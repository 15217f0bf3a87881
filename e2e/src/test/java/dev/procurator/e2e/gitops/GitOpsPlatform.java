package dev.procurator.e2e.gitops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dev.procurator.e2e.ServiceJar;
import dev.procurator.worker.testing.GuestKit;
import dev.procurator.worker.testing.VmCleanup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole platform as separate processes, as a user runs it: the real forge, cache, CI, control-plane and
 * worker-agent jars on free ports, each with its own data dir; a repository on the forge connected to the CI with
 * the CI's signed webhook; {@code example/} pushed with real git and changed by later pushes. Workers run their
 * guests under QEMU/TCG and stop them with themselves; the guests' kernel is the guest kit's shared one.
 */
final class GitOpsPlatform implements AutoCloseable {

    static final String ADMIN = "pcr_e2e-gitops-" + UUID.randomUUID();
    static final String REPO = "admin/cluster";
    static final String BRANCH = "main";
    static final String SOURCE = REPO + "@" + BRANCH;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Eight JVMs starting at once on two shared cores. */
    private static final Duration START_WITHIN = Duration.ofMinutes(6);

    /**
     * @param controlPlanes control-plane instances (several share {@code database}, one leads)
     * @param workers       worker agents
     * @param database      JDBC URL, user and password for every service, or null for each one's embedded H2
     */
    record Options(int controlPlanes, int workers, Database database) {
    }

    record Database(String url, String user, String password) {
    }

    /** A control-plane instance: its jar and its Cap'n Proto address. */
    record ControlPlane(ServiceJar jar, String rpc) {
    }

    final Path home;
    ServiceJar forge;
    ServiceJar cache;
    ServiceJar ci;
    final List<ControlPlane> controlPlanes = new ArrayList<>();
    final Map<String, ServiceJar> workers = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path workTree;

    private GitOpsPlatform(Path home) {
        this.home = home;
        this.workTree = home.resolve("work");
    }

    static GitOpsPlatform start(Path home, Options options) throws Exception {
        GitOpsPlatform platform = new GitOpsPlatform(home);
        try {
            platform.launch(options);
            return platform;
        } catch (Exception | AssertionError e) {
            platform.close();
            throw e;
        }
    }

    private void launch(Options options) throws Exception {
        GuestKit.kernelDir();   // fetched once per machine; the CI's builds read it
        Map<String, String> common = new HashMap<>(Map.of("PROCURATOR_ADMIN_TOKEN", ADMIN));
        if (options.database() != null) {
            common.putAll(Map.of("PROCURATOR_DB_URL", options.database().url(), "PROCURATOR_DB_USER",
                    options.database().user(), "PROCURATOR_DB_PASSWORD", options.database().password()));
        }
        forge = ServiceJar.start("forge", home.resolve("forge"), common);
        cache = ServiceJar.start("cache-service", home.resolve("cache"), common);
        List<String> rpcs = new ArrayList<>();
        for (int i = 0; i < options.controlPlanes(); i++) {
            int rpcPort = ServiceJar.freePort();
            Map<String, String> env = new HashMap<>(common);
            env.putAll(Map.of("PROCURATOR_RPC_PORT", Integer.toString(rpcPort),
                    "PROCURATOR_CONTROLPLANE_ADVERTISEDRPC", "127.0.0.1:" + rpcPort,
                    "PROCURATOR_CACHE_URL", cache.url,
                    // Workers heartbeat every second; one silent for 6 s is down and its replicas move.
                    "PROCURATOR_CONTROLPLANE_HEARTBEATINTERVAL", "1s",
                    "PROCURATOR_CONTROLPLANE_SUSPECTAFTER", "3s",
                    "PROCURATOR_CONTROLPLANE_DOWNAFTER", "6s",
                    "PROCURATOR_CONTROLPLANE_LEASETTL", "5s"));
            controlPlanes.add(new ControlPlane(ServiceJar.start("control-plane", home.resolve("control-plane-" + i),
                    env), "127.0.0.1:" + rpcPort));
            rpcs.add("127.0.0.1:" + rpcPort);
        }
        String controlPlaneRpc = String.join(",", rpcs);
        Map<String, String> ciEnv = new HashMap<>(common);
        ciEnv.putAll(Map.of("PROCURATOR_FORGE_URL", forge.url, "PROCURATOR_CACHE_URL", cache.url,
                "PROCURATOR_CONTROL_PLANE_RPC", controlPlaneRpc,
                "PROCURATOR_CI_RETRYINITIAL", "300ms", "PROCURATOR_CI_RETRYMAX", "2s"));
        ci = ServiceJar.start("ci-service", home.resolve("ci"), ciEnv);
        for (int i = 1; i <= options.workers(); i++) {
            String id = "worker-" + i;
            Map<String, String> env = new HashMap<>(common);
            env.remove("PROCURATOR_DB_URL");   // an agent keeps its state on its host
            env.putAll(Map.of("PROCURATOR_CONTROL_PLANE_RPC", controlPlaneRpc, "PROCURATOR_CACHE_URL", cache.url,
                    "PROCURATOR_WORKER_ID", id, "PROCURATOR_WORKER_ACCEL", "tcg",
                    "PROCURATOR_WORKER_REPORTINTERVAL", "1s", "PROCURATOR_WORKER_POLLTIMEOUT", "5s",
                    "PROCURATOR_WORKER_RECONNECTMAX", "2s", "PROCURATOR_WORKER_STOPTIMEOUT", "5s",
                    "PROCURATOR_WORKER_STOPVMSONEXIT", "true"));
            workers.put(id, ServiceJar.start("worker-agent", home.resolve(id), env));
        }
        long deadline = System.nanoTime() + START_WITHIN.toNanos();
        for (ServiceJar service : all()) {
            service.awaitHealthy(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        createRepository();
    }

    private List<ServiceJar> all() {
        List<ServiceJar> all = new ArrayList<>(List.of(forge, cache, ci));
        controlPlanes.forEach(cp -> all.add(cp.jar()));
        all.addAll(workers.values());
        return all;
    }

    /** {@code admin/cluster}, connected to the CI as {@code procurator repo connect} does it. */
    private void createRepository() throws Exception {
        api("POST", forge.url + "/api/v1/repos", "{\"name\":\"cluster\",\"private\":true}");
        JsonNode hook = api("GET", ci.url + "/api/v1/webhook", null);
        api("POST", forge.url + "/api/v1/repos/" + REPO + "/hooks", JSON.writeValueAsString(Map.of(
                "url", hook.path("url").asString(), "secret", hook.path("secret").asString(),
                "events", List.of("push"))));
    }

    // ------------------------------------------------------------------ pushing

    /** The first push: {@code example/} as it is in this repository. */
    String pushExample() throws Exception {
        copyTree(ServiceJar.REPO.resolve("example"), workTree);
        git("init", "-q", "-b", BRANCH);
        git("remote", "add", "origin", forge.url + "/" + REPO + ".git");
        return commitAndPush("the reference cluster");
    }

    /** A later push: {@code flake.nix} edited; fails the test when the edit changed nothing. */
    String pushEdit(String message, UnaryOperator<String> edit) throws Exception {
        Path flake = workTree.resolve("flake.nix");
        String before = Files.readString(flake);
        String after = edit.apply(before);
        if (after.equals(before)) {
            throw new AssertionError("the edit '" + message + "' changed nothing in flake.nix");
        }
        Files.writeString(flake, after);
        return commitAndPush(message);
    }

    private String commitAndPush(String message) throws Exception {
        git("add", "-A");
        git("-c", "user.name=e2e", "-c", "user.email=e2e@procurator.invalid", "commit", "-q", "-m", message);
        git("-c", "credential.helper=", "-c", "credential.helper=!f() { test \"$1\" = get && "
                + "printf 'username=admin\\npassword=%s\\n' \"$E2E_TOKEN\"; }; f", "push", "-q", "origin", BRANCH);
        return git("rev-parse", "HEAD").strip();
    }

    private String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Files.createDirectories(workTree);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workTree.toFile()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("GIT_TERMINAL_PROMPT", "0", "E2E_TOKEN", ADMIN,
                "GIT_CONFIG_NOSYSTEM", "1", "HOME", home.toString()));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    // ------------------------------------------------------------------ reading the services

    /** The CI's pipeline of a commit, once it has ended; fails the test unless it succeeded. */
    JsonNode awaitGreenPipeline(String commit, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode summary : api("GET", ci.url + "/api/v1/pipelines?repo=" + REPO, null)) {
                if (summary.path("commit").asString().equals(commit)) {
                    last = api("GET", ci.url + "/api/v1/pipelines/" + summary.path("id").asLong(), null);
                }
            }
            if (last != null && List.of("succeeded", "failed", "cancelled").contains(last.path("status").asString())) {
                if (!last.path("status").asString().equals("succeeded")) {
                    throw new AssertionError("the pipeline of " + commit + " did not succeed:\n" + last.toPrettyString()
                            + "\nCI log:\n" + ci.logTail());
                }
                return last;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no finished pipeline of " + commit + " within " + within + "; last: " + last);
    }

    /** The cluster as the leader (any instance answers for it) reports it. */
    JsonNode cluster() throws Exception {
        Exception last = null;
        for (ControlPlane cp : controlPlanes) {
            if (!cp.jar().isAlive()) {
                continue;
            }
            try {
                return api("GET", cp.jar().url + "/api/v1/cluster", null);
            } catch (Exception | AssertionError e) {
                last = e instanceof Exception ex ? ex : new IllegalStateException(e);
            }
        }
        throw last != null ? last : new IllegalStateException("no control plane is running");
    }

    /** Polls the cluster until {@code condition} holds; fails with the last cluster seen. */
    JsonNode awaitCluster(String what, Predicate<JsonNode> condition, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = cluster();
                if (condition.test(last)) {
                    return last;
                }
            } catch (Exception | AssertionError e) {
                // an instance going away or not answering yet: ask again
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + within + ": " + what + "\nlast cluster:\n"
                + (last == null ? "none" : last.toPrettyString()));
    }

    /** The source's replicas (VM entries of {@code /api/v1/cluster}). */
    static List<JsonNode> replicas(JsonNode cluster) {
        List<JsonNode> replicas = new ArrayList<>();
        cluster.path("vms").forEach(vm -> {
            if (vm.path("source").asString().equals(SOURCE)) {
                replicas.add(vm);
            }
        });
        return replicas;
    }

    static List<JsonNode> replicas(JsonNode cluster, String vm) {
        return replicas(cluster).stream().filter(r -> r.path("name").asString().equals(vm)).toList();
    }

    /** Every replica runs its desired closure, healthy, and no rollout of the source is still moving. */
    static boolean settled(JsonNode cluster) {
        List<JsonNode> replicas = replicas(cluster);
        boolean moving = false;
        for (JsonNode rollout : cluster.path("rollouts")) {
            moving |= rollout.path("source").asString().equals(SOURCE) && List.of("pending", "inProgress",
                    "rollingBack").contains(rollout.path("state").asString());
        }
        return !moving && !replicas.isEmpty() && replicas.stream().allMatch(GitOpsPlatform::runsDesiredHealthy);
    }

    static boolean runsDesiredHealthy(JsonNode replica) {
        String desired = replica.path("desiredClosure").asString("");
        return !desired.isEmpty() && desired.equals(replica.path("observedClosure").asString(""))
                && replica.path("state").asString().equals("running")
                && replica.path("health").asString().equals("healthy");
    }

    /** The newest rollout of a VM. */
    static JsonNode rollout(JsonNode cluster, String vm) {
        JsonNode newest = null;
        for (JsonNode rollout : cluster.path("rollouts")) {
            if (rollout.path("vm").asString().equals(vm) && rollout.path("source").asString().equals(SOURCE)
                    && (newest == null || rollout.path("id").asLong() > newest.path("id").asLong())) {
                newest = rollout;
            }
        }
        return newest;
    }

    /** The VMs a worker agent runs ({@code GET /api/v1/vms}). */
    JsonNode workerVms(String worker) throws Exception {
        return api("GET", workers.get(worker).url + "/api/v1/vms", null);
    }

    /** Every replica the agents run, by {@code name/replica}, with the agent that runs it. */
    Map<String, JsonNode> runningVms() throws Exception {
        Map<String, JsonNode> vms = new LinkedHashMap<>();
        for (Map.Entry<String, ServiceJar> worker : workers.entrySet()) {
            if (!worker.getValue().isAlive()) {
                continue;
            }
            for (JsonNode vm : workerVms(worker.getKey())) {
                vms.put(vm.path("name").asString() + "/" + vm.path("replica").asInt(), vm);
            }
        }
        return vms;
    }

    /** GET on a guest's forwarded port, as a user's browser would. */
    String guest(int hostPort, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    int statusOf(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    JsonNode api(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ADMIN).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isBlank() ? JSON.missingNode() : JSON.readTree(response.body());
    }

    /** The real {@code procurator} CLI against this platform, as the admin. */
    CliResult cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ServiceJar.java(), "-jar",
                ServiceJar.REPO.resolve("cli/target/cli.jar").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "cli-out", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PROCURATOR_"));
        String controlPlane = controlPlanes.stream().filter(cp -> cp.jar().isAlive()).findFirst().orElseThrow()
                .jar().url;
        builder.environment().putAll(Map.of("PROCURATOR_TOKEN", ADMIN, "PROCURATOR_FORGE_URL", forge.url,
                "PROCURATOR_CI_URL", ci.url, "PROCURATOR_CACHE_URL", cache.url,
                "PROCURATOR_CONTROL_PLANE_URL", controlPlane, "XDG_CONFIG_HOME", home.resolve("cli-config").toString(),
                "HOME", home.toString()));
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("procurator " + String.join(" ", args) + " hung");
        }
        return new CliResult(process.exitValue(), Files.readString(out));
    }

    record CliResult(int exit, String output) {
    }

    /** Stops whatever was started, workers first (their VMs with them). */
    @Override
    public void close() throws Exception {
        for (ServiceJar worker : workers.values()) {
            worker.close();
        }
        for (String worker : workers.keySet()) {
            VmCleanup.killVms(home.resolve(worker));   // what a killed agent could not stop
        }
        List<ServiceJar> rest = new ArrayList<>();
        rest.add(ci);
        controlPlanes.forEach(cp -> rest.add(cp.jar()));
        rest.add(cache);
        rest.add(forge);
        for (ServiceJar service : rest) {
            if (service != null) {
                service.close();
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
