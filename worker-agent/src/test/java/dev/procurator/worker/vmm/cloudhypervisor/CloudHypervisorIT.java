package dev.procurator.worker.vmm.cloudhypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.testing.RequiresTool;
import dev.procurator.worker.testing.CloudHypervisorStandIn;
import dev.procurator.worker.testing.GuestKit;
import dev.procurator.worker.testing.TestAgent;
import dev.procurator.worker.testing.TestMaster;
import dev.procurator.worker.testing.TestVms;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cloud-hypervisor driver against the stand-in of its API (a separate process booting QEMU underneath): first
 * the stand-in's own rules, checked against notes/vm.md's table, then the agent's real driver code booting a guest
 * through it to a green HTTP check on loopback.
 */
@RequiresTool({"qemu-system-x86_64", "nix", "ip"})
class CloudHypervisorIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path tmp;

    static Path standIn;
    static String closure;

    @BeforeAll
    static void kit() throws Exception {
        standIn = CloudHypervisorStandIn.script(tmp.resolve("bin"));
        closure = GuestKit.build(GuestKit.shared().nix(),
                List.of("(kit.httpService { name = \"web-standin\"; body = \"stand-in\"; })")).get("web-standin");
    }

    @AfterAll
    static void cleanUp() {
        TestAgent.killVms(tmp.resolve("agent"));
    }

    @Test
    void theStandInFollowsCloudHypervisorsApiRules() throws Exception {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("rules"));
        Path socket = dir.resolve("api.sock");
        Process vmm = new ProcessBuilder(standIn.toString(), "--api-socket", "path=" + socket)
                .redirectErrorStream(true).redirectOutput(dir.resolve("vmm.log").toFile()).start();
        try {
            CloudHypervisorApi api = new CloudHypervisorApi(socket);
            CloudHypervisorApi.Response ping = null;
            for (int i = 0; i < 600 && ping == null; i++) {
                try {
                    ping = api.get("vmm.ping");
                } catch (java.io.IOException notListeningYet) {
                    Thread.sleep(50);
                }
            }
            assertThat(ping.status()).isEqualTo(200);
            assertThat(JSON.readTree(ping.body()).path("pid").asLong()).isEqualTo(vmm.pid());
            assertThat(api.get("vm.nonsense").status()).isEqualTo(404);
            assertThat(api.get("vm.boot").status()).as("wrong method").isEqualTo(400);
            assertThat(api.put("vm.create", null).status()).as("missing body").isEqualTo(400);
            assertThat(api.put("vm.create", "{not json").status()).as("malformed body").isEqualTo(400);
            assertThat(api.get("vm.info").status()).as("not created").isEqualTo(404);
            assertThat(api.put("vm.boot", null).status()).as("boot before create").isEqualTo(404);

            String config = JSON.writeValueAsString(Map.of(
                    "payload", Map.of("kernel", closure + "/kernel", "initramfs", closure + "/initrd",
                            "cmdline", "console=ttyS0 init=" + closure + "/init"),
                    "cpus", Map.of("boot_vcpus", 1, "max_vcpus", 1), "memory", Map.of("size", 128L << 20),
                    "serial", Map.of("mode", "File", "file", dir.resolve("serial.log").toString()),
                    "console", Map.of("mode", "Off")));
            assertThat(api.put("vm.create", config).status()).isEqualTo(204);
            CloudHypervisorApi.Response again = api.put("vm.create", config);
            assertThat(again.status()).as("create while a config exists").isEqualTo(500);
            assertThat(JSON.readTree(again.body()).isArray()).as("error body is a JSON array of strings").isTrue();
            assertThat(state(api)).isEqualTo("Created");
            assertThat(api.put("vm.pause", null).status()).as("pause before boot").isEqualTo(500);

            assertThat(api.put("vm.boot", null).status()).isEqualTo(204);
            assertThat(state(api)).isEqualTo("Running");
            assertThat(api.put("vm.boot", null).status()).as("boot twice").isEqualTo(500);
            assertThat(api.put("vm.pause", null).status()).isEqualTo(204);
            assertThat(state(api)).isEqualTo("Paused");
            assertThat(api.put("vm.resume", null).status()).isEqualTo(204);
            assertThat(state(api)).isEqualTo("Running");

            assertThat(api.put("vm.shutdown", null).status()).isEqualTo(204);
            assertThat(state(api)).as("after shutdown").isEqualTo("Created");
            assertThat(api.put("vm.shutdown", null).status()).as("shutdown when not running").isEqualTo(500);

            assertThat(api.put("vm.boot", null).status()).as("boot again after shutdown").isEqualTo(204);
            assertThat(api.put("vm.delete", null).status()).as("delete shuts a running VM down").isEqualTo(204);
            assertThat(api.get("vm.info").status()).isEqualTo(404);
            assertThat(api.put("vm.delete", null).status()).as("delete is idempotent").isEqualTo(204);

            assertThat(api.put("vmm.shutdown", null).status()).isEqualTo(200);
            assertThat(vmm.waitFor(20, TimeUnit.SECONDS)).as("vmm.shutdown ends the process").isTrue();
        } finally {
            vmm.descendants().forEach(ProcessHandle::destroyForcibly);
            vmm.destroyForcibly();
        }
    }

    @Test
    void theDriverBootsAGuestThroughTheApiToAGreenCheck() throws Exception {
        GuestKit.Kit kit = GuestKit.shared();
        try (TestMaster master = TestMaster.start()) {
            master.cache(kit.cacheUrl(), kit.publicKey());
            Path dataDir = tmp.resolve("agent");
            try (TestAgent agent = TestAgent.start(dataDir, master.address(),
                    "--procurator.worker.cloud-hypervisor=" + standIn)) {
                master.assign(List.of(new TestMaster.Vm("web", 0, TestVms.web("cloud-hypervisor"), closure, "")));
                TestMaster.Observed seen = master.await("web", 0, o -> o.health().equals("healthy"), 240);
                assertThat(seen.backend()).isEqualTo("cloud-hypervisor");
                assertThat(seen.address()).isEqualTo("127.0.0.1");
                String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + seen.ports().get(80) + "/")).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(body).contains("stand-in");
                JsonNode vm = agent.json("/api/v1/vms/web/0");
                long pid = JSON.readTree(java.nio.file.Files.readString(dataDir.resolve("vms/web.0/replica.json")))
                        .path("pid").asLong();
                assertThat(java.nio.file.Files.readString(Path.of("/proc/" + pid + "/cmdline")))
                        .contains(CloudHypervisorStandIn.class.getName()).contains("--api-socket");
                assertThat(vm.path("backend").asString()).isEqualTo("cloud-hypervisor");
                assertThat(agent.get("/api/v1/vms/web/0/console").body()).contains("procurator-guest: web-standin");

                master.assign(List.of());
                assertThat(ProcessHandle.of(pid).map(p -> p.onExit().orTimeout(120, TimeUnit.SECONDS).join()))
                        .as("power button, then the VMM exits").isPresent();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (agent.get("/api/v1/vms/web/0").statusCode() != 404 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(agent.get("/api/v1/vms/web/0").statusCode()).as("forgotten once stopped").isEqualTo(404);
            }
        }
    }

    private static String state(CloudHypervisorApi api) throws Exception {
        return JSON.readTree(api.get("vm.info").body()).path("state").asString();
    }
}
