package dev.procurator.e2e.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.process.Command;
import dev.procurator.common.process.ProcessRunner;
import dev.procurator.common.testing.NixSandbox;
import dev.procurator.common.testing.RequiresTool;
import dev.procurator.e2e.ServiceJar;
import dev.procurator.worker.testing.GuestKit;
import dev.procurator.worker.testing.TestMaster;
import dev.procurator.worker.testing.TestVms;
import dev.procurator.worker.testing.VmCleanup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real worker-agent jar substitutes a guest closure from the real cache-service jar (pushed there with
 * {@code nix copy}, signed by the cache), boots it under QEMU, and is then killed with SIGKILL while the VM runs:
 * the VM is untouched (same QEMU pid, same start time, still serving) and the restarted agent adopts it and reports
 * it to the master. Then {@code procurator logs} reads its console, through the control plane's cluster view and
 * directly from the agent.
 */
@RequiresTool({"qemu-system-x86_64", "nix"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerAgentCrashIT {

    private static final String ADMIN = "pcr_worker-crash-it-" + System.nanoTime();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path home;

    static ServiceJar cache;
    static TestMaster master;
    static ServiceJar agent;
    static String closure;
    static Map<String, String> agentEnv;

    @BeforeAll
    static void start() throws Exception {
        cache = ServiceJar.start("cache-service", home.resolve("cache"), Map.of("PROCURATOR_ADMIN_TOKEN", ADMIN))
                .awaitHealthy(Duration.ofMinutes(2));
        NixSandbox nix = new NixSandbox(home.resolve("nix"));
        closure = GuestKit.build(nix, List.of("(kit.httpService { name = \"web-crash\"; body = \"crash test "
                + System.nanoTime() + "\"; })")).get("web-crash");
        Path netrc = home.resolve("netrc");
        Files.writeString(netrc, "machine 127.0.0.1\nlogin procurator\npassword " + ADMIN + "\n");
        new ProcessRunner().run(Command.of("nix", "copy", "--option", "netrc-file", netrc.toString(), "--to",
                cache.url + "/main?compression=zstd", closure).withEnv(nix.environment())
                .timeout(Duration.ofMinutes(5))).requireSuccess();
        new ProcessRunner().run(Command.of("nix-store", "--delete", closure).withEnv(nix.environment())).requireSuccess();

        master = TestMaster.start();
        agentEnv = Map.of("PROCURATOR_ADMIN_TOKEN", ADMIN, "PROCURATOR_CONTROL_PLANE_RPC", master.address(),
                "PROCURATOR_CACHE_URL", cache.url, "PROCURATOR_WORKER_ID", "crash-worker",
                "PROCURATOR_WORKER_REPORT_INTERVAL", "1s", "PROCURATOR_WORKER_POLL_TIMEOUT", "5s");
        agent = ServiceJar.start("worker-agent", home.resolve("agent"), agentEnv).awaitHealthy(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() throws Exception {
        if (master != null) {
            master.assign(List.of());
            Thread.sleep(15_000);   // the agent powers the guest off
        }
        VmCleanup.killVms(home.resolve("agent"));
        if (agent != null) {
            agent.close();
        }
        if (master != null) {
            master.close();
        }
        if (cache != null) {
            cache.close();
        }
    }

    @Test
    @Order(1)
    void aSigkilledAgentLeavesItsVmRunningAndAdoptsItOnRestart() throws Exception {
        master.assign(List.of(new TestMaster.Vm("web", 0, TestVms.web("qemu"), closure, "")));
        TestMaster.Observed before = master.await("web", 0, o -> o.health().equals("healthy"), 300);
        assertThat(before.storePath()).isEqualTo(closure);
        long qemuPid = recordedPid();
        int port = before.ports().get(80);
        assertThat(get("http://127.0.0.1:" + port + "/")).contains("crash test");
        int registrations = master.registrations();
        assertThat(agent.logText()).as("the KVM boot probe decided and said so")
                .containsPattern("guests run with KVM|guests run under QEMU's TCG emulation");

        agent.kill();
        assertThat(alive(qemuPid)).as("the VM survives its agent's SIGKILL").isTrue();
        assertThat(get("http://127.0.0.1:" + port + "/")).contains("crash test");

        agent = ServiceJar.start("worker-agent", home.resolve("agent"), agentEnv).awaitHealthy(Duration.ofMinutes(2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (master.registrations() == registrations && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(master.registrations()).as("the restarted agent registered").isGreaterThan(registrations);
        JsonNode vm = agentApi("/api/v1/vms").get(0);
        assertThat(vm.path("name").asString()).isEqualTo("web");
        assertThat(vm.path("closure").asString()).isEqualTo(closure);
        assertThat(vm.path("startedAtMillis").asLong()).isEqualTo(before.startedAtMillis());
        assertThat(vm.path("metrics").path("uptimeSeconds").asLong())
                .isGreaterThanOrEqualTo((System.currentTimeMillis() - before.startedAtMillis()) / 1000 - 2);
        assertThat(recordedPid()).isEqualTo(qemuPid);
        TestMaster.Observed after = master.await("web", 0, o -> o.health().equals("healthy")
                && o.startedAtMillis() == before.startedAtMillis(), 120);
        assertThat(after.ports()).containsEntry(80, port);
        assertThat(alive(qemuPid)).isTrue();
        assertThat(agent.logText()).contains("adopted qemu VMM pid " + qemuPid);
    }

    @Test
    @Order(2)
    void procuratorLogsReadsTheConsoleThroughTheClusterViewAndDirectly() throws Exception {
        String direct = cli(Map.of("PROCURATOR_TOKEN", ADMIN), "logs", "web", "0", "--agent", agent.url, "-n", "50");
        assertThat(direct).contains("procurator-guest: web-crash serving http on port 80");

        try (ClusterView view = ClusterView.serve(agent.url)) {
            String viaCluster = cli(Map.of("PROCURATOR_TOKEN", ADMIN, "PROCURATOR_CONTROL_PLANE_URL", view.url()),
                    "logs", "web");
            assertThat(viaCluster).contains("procurator-guest: web-crash").contains("agent restarted: adopted VMM pid");
        }

        Process follow = cliProcess(Map.of("PROCURATOR_TOKEN", ADMIN), "logs", "web", "0", "-f", "--agent", agent.url);
        try {
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(follow.getInputStream()));
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null && lines.stream().noneMatch(l -> l.contains("web-crash serving"))) {
                lines.add(line);
            }
            assertThat(lines).anyMatch(l -> l.contains("procurator-guest"));
            assertThat(follow.isAlive()).as("-f keeps following").isTrue();
        } finally {
            follow.destroy();
        }
        String missing = cli(Map.of("PROCURATOR_TOKEN", ADMIN), "logs", "nope", "--agent", agent.url);
        assertThat(missing).contains("no replica 0 of VM nope on this worker");
    }

    private static String cli(Map<String, String> env, String... args) throws Exception {
        Process process = cliProcess(env, args);
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static Process cliProcess(Map<String, String> env, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                ServiceJar.REPO.resolve("cli/target/cli.jar").toString()));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("XDG_CONFIG_HOME", home.resolve("cli-config").toString());
        return builder.start();
    }

    private static JsonNode agentApi(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(agent.url + path))
                .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static long recordedPid() throws Exception {
        return JSON.readTree(Files.readString(home.resolve("agent/vms/web.0/replica.json"))).path("pid").asLong();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * The control plane's {@code GET /api/v1/cluster} as the CLI reads it ({@code vms[].name/replica/worker},
     * {@code workers[].id/apiUrl}), served for this one agent until the control-plane jar lands beside it.
     */
    record ClusterView(com.sun.net.httpserver.HttpServer server) implements AutoCloseable {

        static ClusterView serve(String agentUrl) throws Exception {
            var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = JSON.writeValueAsBytes(Map.of(
                    "workers", List.of(Map.of("id", "crash-worker", "apiUrl", agentUrl, "state", "ready")),
                    "vms", List.of(Map.of("name", "web", "replica", 0, "worker", "crash-worker", "health", "healthy"))));
            server.createContext("/api/v1/cluster", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return new ClusterView(server);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
