package dev.procurator.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.procurator.controlplane.cluster.ClusterJson;
import dev.procurator.controlplane.event.Event;

class ClusterPageTest {

    private static final String V1 = "/nix/store/aaaaaaaabbbbbbbbccccccccdddddddd-nixos-system-web";
    private static final String V2 = "/nix/store/ffffffffgggggggghhhhhhhhiiiiiiii-nixos-system-web";
    private static final Instant NOW = Instant.parse("2026-12-05T07:00:00Z");

    private static final ClusterJson.Cluster CLUSTER = new ClusterJson.Cluster("cp-1", "cp-1:7441",
            List.of(new ClusterJson.SourceJson("alice/shop", "main", 2, "0123456789abcdef", NOW.toEpochMilli())),
            List.of(new ClusterJson.WorkerJson("w1", "host-1", "ready", List.of("ssd"),
                            new ClusterJson.Resources(4, 8192), new ClusterJson.Resources(1.5, 7680),
                            "http://host-1:7450", NOW.minusSeconds(3).toEpochMilli()),
                    new ClusterJson.WorkerJson("w2", "host-2", "draining", List.of(),
                            new ClusterJson.Resources(0, 0), new ClusterJson.Resources(0, 0), null, 0)),
            List.of(new ClusterJson.VmJson("alice/shop@main", "web", 0, "w1", V2, V2, "running", "healthy", 2, ""),
                    new ClusterJson.VmJson("alice/shop@main", "web", 1, "w1", V2, V1, "running", "healthy", 2, ""),
                    new ClusterJson.VmJson("alice/shop@main", "db", 0, null, V1, null, "unplaced", "unknown", 2,
                            "no ready worker with 8 free CPU")),
            List.of(new ClusterJson.RolloutJson(7, "web", "alice/shop@main", "canary", "paused", "canary healthy", 2,
                            1, 1, 1, 2, NOW.toEpochMilli()),
                    new ClusterJson.RolloutJson(6, "db", "alice/shop@main", "rolling", "succeeded", "all healthy", 1,
                            0, 1, 1, 1, NOW.toEpochMilli())));

    private final ClusterPage page = ClusterPage.of(CLUSTER, List.of(
            new Event(1, NOW.toEpochMilli(), "generationPublished", "alice/shop@main", null, null, 2L, null,
                    "published"),
            new Event(2, NOW.toEpochMilli(), "rollout", "alice/shop@main", "web", null, 2L, 7L, "paused")), NOW);

    @Test
    void workersShowTheirAllocationAgainstCapacity() {
        ClusterPage.WorkerRow w1 = page.workers().get(0);
        assertThat(w1.cpu()).isEqualTo("1.5 / 4 CPU");
        assertThat(w1.cpuPercent()).isEqualTo(38);
        assertThat(w1.memory()).isEqualTo("7680 / 8192 MiB");
        assertThat(w1.memoryPercent()).isEqualTo(94);
        assertThat(w1.badge()).isEqualTo("up");
        assertThat(w1.heartbeat()).isEqualTo("3s ago");

        ClusterPage.WorkerRow w2 = page.workers().get(1);
        assertThat(w2.cpuPercent()).as("no capacity is no division by zero").isZero();
        assertThat(w2.badge()).isEqualTo("pending");
        assertThat(w2.heartbeat()).isEqualTo("never");
    }

    @Test
    void aReplicaRunningAnotherClosureThanDesiredIsMarked() {
        assertThat(page.replicas()).extracting(ClusterPage.ReplicaRow::id).containsExactly("web.0", "web.1", "db.0");
        assertThat(page.replicas()).extracting(ClusterPage.ReplicaRow::mismatch).containsExactly(false, true, false);
        assertThat(page.replicas().get(1).desiredShort()).isEqualTo("ffffffff");
        assertThat(page.replicas().get(1).observedShort()).isEqualTo("aaaaaaaa");
        assertThat(page.replicas().get(2).observedShort()).isEqualTo("–");
        assertThat(page.replicas().get(2).stateBadge()).isEqualTo("down");
        assertThat(page.replicas().get(2).message()).contains("no ready worker");
    }

    @Test
    void rolloutsShowProgressAndOnlyTheCallsTheirStateAccepts() {
        ClusterPage.RolloutRow canary = page.rollouts().get(0);
        assertThat(canary.active()).isTrue();
        assertThat(canary.generations()).isEqualTo("1 → 2");
        assertThat(canary.updatedPercent()).isEqualTo(50);
        assertThat(canary.actions()).containsExactly("promote", "resume", "rollback");

        ClusterPage.RolloutRow done = page.rollouts().get(1);
        assertThat(done.active()).isFalse();
        assertThat(done.generations()).isEqualTo("1");
        assertThat(done.actions()).containsExactly("rollback");

        assertThat(ClusterPage.actions("inProgress", "rolling")).containsExactly("pause", "rollback");
        assertThat(ClusterPage.actions("paused", "rolling")).containsExactly("resume", "rollback");
    }

    @Test
    void theTimelineIsNewestFirstWithWhatEachEventIsAbout() {
        assertThat(page.events()).extracting(ClusterPage.EventRow::id).containsExactly(2L, 1L);
        assertThat(page.events().get(0).about()).isEqualTo("vm web · generation 2 · rollout 7 · alice/shop@main");
        assertThat(page.leader()).isEqualTo("cp-1 (RPC cp-1:7441)");
        assertThat(page.sources().get(0).shortCommit()).isEqualTo("0123456789");
    }
}
