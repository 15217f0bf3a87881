package dev.procurator.worker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.process.Command;
import dev.procurator.common.process.ProcessRunner;
import dev.procurator.common.testing.RequiresTool;
import dev.procurator.schema.blueprint.Blueprint;
import dev.procurator.worker.testing.GuestKit;
import dev.procurator.worker.testing.TestAgent;
import dev.procurator.worker.testing.TestMaster;
import dev.procurator.worker.testing.TestVms;

/**
 * Tap networking on a Linux bridge this test creates (link-local 169.254.199.0/24, never routed off the host): the
 * agent gives the VM a tap on the bridge and its {@code deployment.addr} on the kernel command line; the check and
 * the host reach the guest at that address, which is what the agent reports. A missing bridge is refused with a
 * message saying so.
 */
@RequiresTool({"qemu-system-x86_64", "nix", "ip"})
class TapNetworkIT {

    private static final ProcessRunner RUNNER = new ProcessRunner();
    private static final String BRIDGE = "pcrbr" + Long.toHexString(System.nanoTime() & 0xffffff);
    private static final String GUEST = "169.254.199.10";

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void bridge() {
        ip("link", "add", BRIDGE, "type", "bridge");
        ip("addr", "add", "169.254.199.1/24", "dev", BRIDGE);
        ip("link", "set", BRIDGE, "up");
    }

    @AfterAll
    static void removeBridge() {
        TestAgent.killVms(dataDir);
        RUNNER.run(Command.of("ip", "link", "delete", BRIDGE));
    }

    @Test
    void aVmOnATapReachesTheHostAtItsOwnAddress() throws Exception {
        GuestKit.Kit kit = GuestKit.shared();
        Blueprint.Vm web = TestVms.web("qemu");
        Blueprint.Vm onTap = new Blueprint.Vm(web.role(), web.cpu(), web.memory(), web.labels(), 1, web.ports(),
                new Blueprint.Deployment(GUEST, "qemu", "root", 22, web.deployment().healthChecks(), true,
                        web.deployment().strategy()));
        try (TestMaster master = TestMaster.start();
             TestAgent agent = TestAgent.start(dataDir, master.address(), "--procurator.worker.network=tap",
                     "--procurator.worker.bridge=" + BRIDGE, "--procurator.worker.tap-gateway=169.254.199.1",
                     "--procurator.worker.tap-netmask=255.255.255.0")) {
            master.cache(kit.cacheUrl(), kit.publicKey());
            master.assign(List.of(new TestMaster.Vm("web", 0, onTap, kit.v1(), "")));
            TestMaster.Observed seen = master.await("web", 0, o -> o.health().equals("healthy"), 240);
            assertThat(seen.address()).isEqualTo(GUEST);
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + GUEST + "/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("hello from v1");
            String tap = agent.json("/api/v1/vms/web/0").path("address").asString();
            assertThat(tap).isEqualTo(GUEST);
            assertThat(RUNNER.run(Command.of("ip", "link", "show", "master", BRIDGE)).stdout()).contains("pcr");

            master.assign(List.of());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!agent.json("/api/v1/vms").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(RUNNER.run(Command.of("ip", "link", "show", "master", BRIDGE)).stdout())
                    .as("the tap is deleted with the VM").doesNotContain("pcr");
        }
    }

    @Test
    void aMissingBridgeIsAClearError() {
        TapDevices taps = new TapDevices(RUNNER, "nosuchbridge0");
        assertThat(taps.problem()).isEqualTo("tap networking: bridge 'nosuchbridge0' does not exist on this host "
                + "(ip link add nosuchbridge0 type bridge)");
        assertThat(new TapDevices(RUNNER, "").problem()).contains("set procurator.worker.bridge");
    }

    private static void ip(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "ip";
        System.arraycopy(args, 0, argv, 1, args.length);
        RUNNER.run(Command.of(argv)).requireSuccess();
    }
}
