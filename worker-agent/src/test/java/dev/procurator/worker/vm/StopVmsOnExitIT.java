package dev.procurator.worker.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code procurator.worker.stop-vms-on-exit}: a throw-away platform (the demo) stops its VMs with the agent, where by
 * default they outlive it (AgentRestartIT).
 */
@RequiresTool({"qemu-system-x86_64", "nix"})
class StopVmsOnExitIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    @AfterAll
    static void cleanUp() {
        TestAgent.killVms(dataDir);
    }

    @Test
    void theAgentStopsItsVmsWhenItStops() throws Exception {
        GuestKit.Kit kit = GuestKit.shared();
        try (TestMaster master = TestMaster.start()) {
            master.cache(kit.cacheUrl(), kit.publicKey());
            TestAgent agent = TestAgent.start(dataDir, master.address(), "--procurator.worker.stop-vms-on-exit=true");
            try {
                master.assign(List.of(new TestMaster.Vm("web", 0, TestVms.web("qemu"), kit.v1(), "")));
                master.await("web", 0, o -> o.health().equals("healthy"), 300);
                long pid = JSON.readTree(Files.readString(dataDir.resolve("vms/web.0/replica.json"))).path("pid")
                        .asLong();
                assertThat(alive(pid)).isTrue();

                agent.close();

                assertThat(alive(pid)).as("the VMM stopped with the agent").isFalse();
                assertThat(dataDir.resolve("vms/web.0")).as("nothing left to adopt").doesNotExist();
            } finally {
                agent.close();
            }
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
