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
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.testing.RequiresTool;
import dev.procurator.worker.cgroup.Cgroups;
import dev.procurator.worker.testing.GuestKit;
import dev.procurator.worker.testing.TestAgent;
import dev.procurator.worker.testing.TestMaster;
import dev.procurator.worker.testing.TestVms;
import tools.jackson.databind.JsonNode;

/**
 * One agent, one real guest at a time under QEMU/TCG, driven by a faithful master: the closure is substituted from a
 * signed cache and booted, its HTTP check turns green, the API, console and cgroup limits show it; a new closure
 * replaces it in place; a broken closure is rolled back; a wrongly signed closure is refused and never booted; the
 * master stops it through the Worker capability.
 */
@RequiresTool({"qemu-system-x86_64", "nix", "nix-store"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QemuWorkerIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long WAIT = 240;

    @TempDir
    static Path dataDir;

    static GuestKit.Kit kit;
    static String v1;
    static TestMaster master;
    static TestAgent agent;
    static int hostPort;
    static long firstPid;

    @BeforeAll
    static void start() throws Exception {
        kit = GuestKit.shared();
        v1 = GuestKit.freshClosure("web-v1", "hello from v1");
        master = TestMaster.start();
        master.cache(kit.cacheUrl(), kit.publicKey());
        agent = TestAgent.start(dataDir, master.address(), "--procurator.worker.cgroup-parent=procurator-test");
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        TestAgent.killVms(dataDir);
        if (master != null) {
            master.close();
        }
    }

    @Test
    @Order(1)
    void substitutesBootsAndReportsAHealthyGuest() throws Exception {
        assertThat(Files.exists(Path.of(v1))).as("the closure is only in the cache").isFalse();
        master.assign(List.of(new TestMaster.Vm("web", 0, TestVms.web("qemu"), v1, "")));

        TestMaster.Observed seen = master.await("web", 0, o -> o.health().equals("healthy"), WAIT);
        assertThat(seen.storePath()).isEqualTo(v1);
        assertThat(seen.phase()).isEqualTo("running");
        assertThat(seen.backend()).isEqualTo("qemu");
        assertThat(seen.address()).isEqualTo("127.0.0.1");
        assertThat(seen.ports()).containsKey(80);
        hostPort = seen.ports().get(80);
        assertThat(body("/")).contains("hello from v1");
        assertThat(master.healthLog()).contains("web.0 http :80/health healthy");

        JsonNode vms = agent.json("/api/v1/vms");
        assertThat(vms).hasSize(1);
        JsonNode vm = vms.get(0);
        assertThat(vm.path("name").asString()).isEqualTo("web");
        assertThat(vm.path("replica").asInt()).isZero();
        assertThat(vm.path("closure").asString()).isEqualTo(v1);
        assertThat(vm.path("state").asString()).isEqualTo("running");
        assertThat(vm.path("health").asString()).isEqualTo("healthy");
        assertThat(vm.path("address").asString()).isEqualTo("127.0.0.1");
        assertThat(vm.path("ports").get(0).path("guest").asInt()).isEqualTo(80);
        assertThat(vm.path("ports").get(0).path("host").asInt()).isEqualTo(hostPort);
        assertThat(vm.path("startedAt").asString()).isNotBlank();
        assertThat(Files.isSymbolicLink(dataDir.resolve("gcroots").resolve(Path.of(v1).getFileName())))
                .as("the closure is pinned by a GC root of the agent").isTrue();

        String console = agent.get("/api/v1/vms/web/0/console?lines=50").body();
        assertThat(console).contains("procurator-guest: web-v1 serving http on port 80");
        assertThat(agent.get("/api/v1/vms/web/7/console").statusCode()).isEqualTo(404);
        assertThat(agent.get("/api/v1/vms/web/x/console").statusCode()).isEqualTo(400);
        assertThat(agent.get("/api/v1/vms/web/0/console?lines=0").statusCode()).isEqualTo(400);
        firstPid = pidOf("web.0");

        String dashboard = agent.get("/").body();
        assertThat(dashboard).contains("id=\"vm-web-0\"").contains(v1).contains(">healthy<")
                .contains("80→127.0.0.1:" + hostPort).contains("procurator-guest: web-v1 serving")
                .contains("1.0 CPU, 128 MiB").contains(agent.bean(Cgroups.class).description());
    }

    @Test
    @Order(2)
    void appliesTheCgroupLimitsOfTheSpec() throws Exception {
        Cgroups cgroups = agent.bean(Cgroups.class);
        Path cpu = Path.of("/sys/fs/cgroup/cpu/procurator-test/test-worker/web.0");
        Path memory = Path.of("/sys/fs/cgroup/memory/procurator-test/test-worker/web.0");
        if (cgroups.mode() == Cgroups.Mode.V2) {
            Path group = Path.of("/sys/fs/cgroup/procurator-test/test-worker/web.0");
            assertThat(Files.readString(group.resolve("cpu.max")).strip()).isEqualTo("100000 100000");
            assertThat(Files.readString(group.resolve("memory.max")).strip()).isEqualTo(Long.toString(384L << 20));
            assertThat(Files.readAllLines(group.resolve("cgroup.procs"))).contains(Long.toString(firstPid));
            return;
        }
        assertThat(cgroups.mode()).as("these machines have cgroup v1 (notes/vm.md)").isEqualTo(Cgroups.Mode.V1);
        assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us")).strip()).isEqualTo("100000");
        assertThat(Files.readString(cpu.resolve("cpu.cfs_period_us")).strip()).isEqualTo("100000");
        assertThat(Files.readString(cpu.resolve("cpu.shares")).strip()).isEqualTo("1024");
        assertThat(Files.readString(cpu.resolveSibling("cpu.shares")).strip()).as("the parent weighs its VMs")
                .isEqualTo("1024");
        assertThat(Long.parseLong(Files.readString(memory.resolve("memory.limit_in_bytes")).strip()))
                .isEqualTo((128L + 256) << 20);
        assertThat(Files.readAllLines(cpu.resolve("cgroup.procs"))).contains(Long.toString(firstPid));
        assertThat(Files.readAllLines(memory.resolve("cgroup.procs"))).contains(Long.toString(firstPid));
        assertThat(agent.json("/api/v1/vms/web/0").path("limits").asString()).isEqualTo("cgroup v1");
    }

    @Test
    @Order(3)
    void replacesTheClosureInPlace() throws Exception {
        master.assign(List.of(new TestMaster.Vm("web", 0, TestVms.web("qemu"), kit.v2(), v1)));
        TestMaster.Observed seen = master.await("web", 0,
                o -> o.storePath().equals(kit.v2()) && o.health().equals("healthy"), WAIT);
        assertThat(seen.ports()).containsEntry(80, hostPort);
        assertThat(body("/")).contains("hello from v2");
        assertThat(pidOf("web.0")).isNotEqualTo(firstPid);
        assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).as("old VMM stopped").isFalse();
    }

    @Test
    @Order(4)
    void rollsABrokenClosureBack() throws Exception {
        master.assign(List.of(new TestMaster.Vm("web", 0, TestVms.web("qemu"), kit.broken(), kit.v2())));
        TestMaster.Observed seen = master.await("web", 0,
                o -> kit.broken().equals(o.rolledBackFrom()) && o.health().equals("healthy"), WAIT);
        assertThat(seen.storePath()).isEqualTo(kit.v2());
        assertThat(seen.message()).contains("rolled back from " + kit.broken());
        assertThat(body("/")).contains("hello from v2");
        assertThat(master.healthLog()).contains("web.0 http :80/health unhealthy");
        assertThat(agent.get("/api/v1/vms/web/0/console?lines=400").body()).contains("rolling back to " + kit.v2());
    }

    @Test
    @Order(5)
    void refusesAClosureWithoutAValidSignature() throws Exception {
        String forged = GuestKit.wronglySignedClosure();
        master.assign(List.of(new TestMaster.Vm("web", 0, TestVms.web("qemu"), kit.v2(), v1),
                new TestMaster.Vm("web", 1, TestVms.web("qemu"), forged, "")));
        TestMaster.Observed seen = master.await("web", 1, o -> o.phase().equals("failed"), WAIT);
        assertThat(seen.message()).contains("lacks a valid signature");
        assertThat(seen.storePath()).isEmpty();
        assertThat(seen.startedAtMillis()).isZero();
        assertThat(Files.exists(Path.of(forged))).isFalse();
        assertThat(Files.exists(dataDir.resolve("vms/web.1/replica.json"))).as("nothing booted").isFalse();
    }

    @Test
    @Order(6)
    void stopsAReplicaWhenTheMasterSaysSoThenWhenUnassigned() throws Exception {
        long pid = pidOf("web.0");
        boolean stopped = master.worker("test-worker")
                .stopVm(p -> { p.setVm("web"); p.setReplica(0); p.setReason("test"); })
                .get(60, TimeUnit.SECONDS).getStopped();
        assertThat(stopped).isTrue();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Files.exists(dataDir.resolve("vms/web.0/replica.json"))).isFalse();
        var logs = master.worker("test-worker").collectLogs(p -> { p.setVm("web"); p.setReplica(0); p.setMaxLines(5); })
                .get(30, TimeUnit.SECONDS);
        assertThat(logs.getLines().size()).isEqualTo(5);
        assertThat(logs.getTruncated()).isTrue();

        master.assign(List.of());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (agent.json("/api/v1/vms").size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(agent.json("/api/v1/vms")).isEmpty();
        assertThat(dataDir.resolve("gcroots")).isEmptyDirectory();
    }

    /** The VMM pid the agent recorded for a replica ({@code web.0}). */
    private static long pidOf(String replica) throws Exception {
        return tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(Files.readString(dataDir.resolve("vms").resolve(replica).resolve("replica.json")))
                .path("pid").asLong();
    }

    private static String body(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
