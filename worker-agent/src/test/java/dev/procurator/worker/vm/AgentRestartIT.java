package dev.procurator.worker.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.testing.RequiresTool;
import dev.procurator.worker.testing.GuestKit;
import dev.procurator.worker.testing.TestAgent;
import dev.procurator.worker.testing.TestMaster;
import dev.procurator.worker.testing.TestVms;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two guests, then the control plane goes away and comes back as a new instance that forgot the worker, then the
 * agent itself restarts: the VMs run on untouched throughout; the agent re-registers, adopts the replica that is
 * still assigned (same VMM, same start time) and stops the one that is not. The VMs ask for cloud-hypervisor on a
 * host without it, so they also show the fallback to QEMU and the backend actually used.
 */
@RequiresTool({"qemu-system-x86_64", "nix"})
class AgentRestartIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    @AfterAll
    static void cleanUp() {
        TestAgent.killVms(dataDir);
    }

    @Test
    void vmsOutliveAMasterOutageAndAnAgentRestart() throws Exception {
        GuestKit.Kit kit = GuestKit.shared();
        String[] noCloudHypervisor = {"--procurator.worker.cloud-hypervisor=/nonexistent/cloud-hypervisor"};
        List<TestMaster.Vm> both = List.of(
                new TestMaster.Vm("web", 0, TestVms.web("cloud-hypervisor"), kit.v1(), ""),
                new TestMaster.Vm("web", 1, TestVms.web("cloud-hypervisor"), kit.v1(), ""));
        TestMaster master = TestMaster.start();
        int port = master.port();
        master.cache(kit.cacheUrl(), kit.publicKey());
        TestAgent agent = TestAgent.start(dataDir, master.address(), noCloudHypervisor);
        try {
            master.assign(both);
            TestMaster.Observed web0 = master.await("web", 0, o -> o.health().equals("healthy"), 300);
            TestMaster.Observed web1 = master.await("web", 1, o -> o.health().equals("healthy"), 300);
            assertThat(web0.backend()).as("fell back to QEMU").isEqualTo("qemu");
            long pid0 = pid("web.0");
            long pid1 = pid("web.1");

            // The control plane goes away: VMs keep running and serving.
            master.close();
            Thread.sleep(3000);
            assertThat(alive(pid0)).isTrue();
            assertThat(get(web0.ports().get(80))).contains("hello from v1");

            // It comes back as a new instance that does not know the worker: the agent registers again and reports.
            master = TestMaster.startOn(port);
            master.cache(kit.cacheUrl(), kit.publicKey());
            master.assign(both);
            TestMaster returned = master;
            returned.await("web", 0, o -> o.health().equals("healthy") && o.startedAtMillis() == web0.startedAtMillis(), 120);
            assertThat(returned.registrations()).isGreaterThanOrEqualTo(1);
            assertThat(pid("web.0")).isEqualTo(pid0);

            // The agent restarts (VMs are left running on shutdown) and, told to keep only web.0, adopts it.
            agent.close();
            assertThat(alive(pid0)).isTrue();
            assertThat(alive(pid1)).isTrue();
            master.assign(both.subList(0, 1));
            agent = TestAgent.start(dataDir, master.address(), noCloudHypervisor);
            TestMaster.Observed adopted = master.await("web", 0,
                    o -> o.phase().equals("running") && o.health().equals("healthy"), 120);
            assertThat(adopted.startedAtMillis()).isEqualTo(web0.startedAtMillis());
            assertThat(pid("web.0")).isEqualTo(pid0);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (alive(pid1) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(alive(pid1)).as("the unassigned replica is stopped").isFalse();
            while (agent.json("/api/v1/vms").size() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(agent.json("/api/v1/vms")).hasSize(1);
            assertThat(get(web0.ports().get(80))).contains("hello from v1");
            assertThat(web1.ports().get(80)).isNotEqualTo(web0.ports().get(80));
        } finally {
            agent.close();
            master.close();
        }
    }

    private static long pid(String replica) throws Exception {
        return JSON.readTree(Files.readString(dataDir.resolve("vms").resolve(replica).resolve("replica.json")))
                .path("pid").asLong();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String get(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
