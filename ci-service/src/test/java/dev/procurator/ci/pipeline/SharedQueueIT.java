package dev.procurator.ci.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.ci.support.CiApi;
import dev.procurator.ci.support.CiInstance;
import dev.procurator.ci.support.DiskForge;
import dev.procurator.ci.support.RecordingMaster;
import dev.procurator.common.testing.ClusterFlake;
import dev.procurator.common.testing.RequiresTool;
import dev.procurator.common.testing.TestDatabase;
import tools.jackson.databind.JsonNode;

/**
 * Two CI instances sharing one PostgreSQL database, as in production: pushes received by one are run by both, each
 * pipeline exactly once, and pipelines longer than the lease keep their claim (the lease is renewed; no instance
 * mistakes the other for dead).
 */
@RequiresTool({"nix", "git"})
class SharedQueueIT {

    private static final String ADMIN = "pcr_shared-queue-" + UUID.randomUUID();
    private static final String SECRET = "shared-queue-secret";

    @RegisterExtension
    static final TestDatabase database = new TestDatabase();

    @TempDir
    static Path root;

    private static RecordingMaster master;
    private static DiskForge forge;
    private static final List<CiInstance> instances = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        master = new RecordingMaster();
        forge = new DiskForge(root);
        for (String name : List.of("a", "b")) {
            instances.add(CiInstance.start(Map.ofEntries(
                    Map.entry("spring.datasource.url", database.jdbcUrl()),
                    Map.entry("spring.datasource.username", database.username()),
                    Map.entry("spring.datasource.password", database.password()),
                    Map.entry("procurator.data-dir", root.resolve("ci-" + name).toString()),
                    Map.entry("procurator.admin-token", ADMIN),
                    Map.entry("procurator.forge-url", forge.url()),
                    Map.entry("procurator.cache-url", "file://" + root.resolve("cache")),
                    Map.entry("procurator.control-plane-rpc", master.address()),
                    Map.entry("procurator.ci.webhook-secret", SECRET),
                    Map.entry("procurator.ci.executors", "2"),
                    Map.entry("procurator.ci.lease", "1500ms"))));
        }
    }

    @AfterAll
    static void stop() {
        instances.forEach(CiInstance::close);
        master.close();
    }

    @Test
    void pipelinesPushedToOneInstanceRunOnBothEachOnceKeepingTheirLeases() throws Exception {
        CiApi receiver = new CiApi(instances.getFirst().url(), ADMIN);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String branch = "branch-" + i;
            String commit = forge.push("team/shared", branch, ClusterFlake.fromModuleDir().vm("vm" + i, "", "v1")
                    .ci("{ checks = [ { name = \"slow\"; command = \"sleep 4\"; } ]; }"), "branch " + i);
            ids.add(CiApi.parse(forge.deliverPush(receiver.url(), SECRET, "team/shared", branch, commit).body())
                    .path("pipeline").asLong());
        }

        // Both instances' executors work at once: more pipelines run than one instance has executors.
        int mostRunning = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode list = receiver.json("/api/v1/pipelines?repo=team/shared");
            int running = 0;
            int finished = 0;
            for (JsonNode pipeline : list) {
                running += pipeline.path("status").asString().equals("running") ? 1 : 0;
                finished += List.of("succeeded", "failed", "cancelled").contains(pipeline.path("status").asString())
                        ? 1 : 0;
            }
            mostRunning = Math.max(mostRunning, running);
            if (finished == ids.size()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(mostRunning).as("pipelines running at once on two instances of 2 executors").isGreaterThan(2);
        for (long id : ids) {
            JsonNode pipeline = receiver.pipeline(id);
            assertThat(pipeline.path("status").asString()).as(pipeline.toString()).isEqualTo("succeeded");
            assertThat(pipeline.path("attempts").asInt()).as("never taken twice, never taken from its runner")
                    .isEqualTo(1);
            assertThat(CiApi.stepNames(pipeline)).doesNotHaveDuplicates();
        }
        assertThat(master.published()).hasSize(ids.size());
    }
}
