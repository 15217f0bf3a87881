package dev.procurator.cli.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ClusterPrinterTest {

    private static final String WEB_V1 = "/nix/store/aaaaaaaabbbbbbbbccccccccdddddddd-nixos-system-web";
    private static final String WEB_V2 = "/nix/store/eeeeeeeeffffffffgggggggghhhhhhhh-nixos-system-web";
    private static final Instant NOW = Instant.parse("2026-12-05T07:00:00Z");

    private final StringWriter text = new StringWriter();
    private final PrintWriter out = new PrintWriter(text);

    private static JsonNode json(String json) {
        return JsonMapper.builder().build().readTree(json.replace('\'', '"'));
    }

    private static final JsonNode CLUSTER = json("""
            {'leader': 'http://cp-1:7440', 'leaderRpc': 'cp-1:7441',
             'sources': [{'repo': 'alice/shop', 'branch': 'main', 'generation': 3,
                          'commit': '0123456789abcdef0123', 'publishedAt': '2026-12-05T06:59:00.123Z'}],
             'workers': [{'id': 'w1', 'hostname': 'host-1', 'state': 'ready', 'labels': ['ssd', 'eu'],
                          'capacity': {'cpu': 4.0, 'memoryMb': 8192}, 'allocated': {'cpu': 1.5, 'memoryMb': 1024},
                          'apiUrl': 'http://host-1:7450', 'lastHeartbeat': '2026-12-05T06:59:56Z'},
                         {'id': 'w2', 'hostname': 'host-2', 'state': 'draining', 'labels': [],
                          'capacity': {'cpu': 2, 'memoryMb': 4096}, 'allocated': {'cpu': 0, 'memoryMb': 0},
                          'apiUrl': 'http://host-2:7450', 'lastHeartbeat': '2026-12-05T06:55:00Z'}],
             'vms': [{'source': 'alice/shop@main', 'name': 'web', 'replica': 0, 'worker': 'w1',
                      'desiredClosure': '%s', 'observedClosure': '%s', 'state': 'running', 'health': 'healthy',
                      'generation': 3, 'message': null},
                     {'source': 'alice/shop@main', 'name': 'web', 'replica': 1, 'worker': 'w1',
                      'desiredClosure': '%s', 'observedClosure': '%s', 'state': 'starting', 'health': 'unknown',
                      'generation': 3, 'message': 'booting'},
                     {'source': 'alice/shop@main', 'name': 'db', 'replica': 0, 'worker': null,
                      'desiredClosure': '%s', 'observedClosure': null, 'state': 'unplaced', 'health': 'unknown',
                      'generation': 3, 'message': 'no ready worker with 8 free CPU'}],
             'rollouts': [{'id': 7, 'vm': 'web', 'source': 'alice/shop@main', 'strategy': 'canary', 'state': 'paused',
                           'reason': 'canary healthy, waiting for promote', 'generation': 3, 'fromGeneration': 2,
                           'updatedReplicas': 1, 'healthyReplicas': 1, 'totalReplicas': 2,
                           'updatedAt': '2026-12-05T06:59:30Z'},
                          {'id': 6, 'vm': 'db', 'source': 'alice/shop@main', 'strategy': 'rolling',
                           'state': 'succeeded', 'reason': 'all replicas healthy', 'generation': 2,
                           'fromGeneration': null, 'updatedReplicas': 1, 'healthyReplicas': 1, 'totalReplicas': 1,
                           'updatedAt': '2026-12-05T06:00:00Z'}]}
            """.formatted(WEB_V2, WEB_V2, WEB_V2, WEB_V1, WEB_V2));

    private List<String> lines() {
        return text.toString().lines().toList();
    }

    private String line(String containing) {
        return lines().stream().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + containing + " in\n" + text));
    }

    @Test
    void statusShowsEverySectionWithItsFacts() {
        ClusterPrinter.status(out, CLUSTER, "http://127.0.0.1:7440", NOW);

        assertThat(lines().getFirst()).isEqualTo("control plane: http://127.0.0.1:7440 (leader http://cp-1:7440)");
        assertThat(text.toString()).contains("SOURCES", "WORKERS", "REPLICAS", "ROLLOUTS IN PROGRESS");
        assertThat(line("alice/shop  ")).contains("main").contains("3").contains("0123456789 ")
                .contains("2026-12-05 06:59:00Z");
        assertThat(line("host-1")).containsSubsequence("w1", "host-1", "ready", "1.5/4", "1024/8192 MiB", "ssd,eu",
                "4s ago");
        assertThat(line("host-2")).containsSubsequence("w2", "draining", "0/2", "0/4096 MiB", "5m ago");
    }

    @Test
    void replicasShowDesiredAgainstObservedAndFlagAMismatch() {
        ClusterPrinter.replicas(out, CLUSTER.path("vms"));

        assertThat(lines().getFirst()).containsSubsequence("VM", "REPLICA", "WORKER", "STATE", "HEALTH", "DESIRED",
                "OBSERVED", "MATCH");
        String[] inSync = lines().get(1).split("\\s+");
        assertThat(inSync).containsSubsequence("web", "0", "w1", "running", "healthy", "3", "eeeeeeee", "eeeeeeee",
                "yes");
        assertThat(lines().get(2).split("\\s+")).containsSubsequence("web", "1", "starting", "unknown", "eeeeeeee",
                "aaaaaaaa", "NO", "booting");
        assertThat(lines().get(3).split("\\s+")).containsSubsequence("db", "0", "-", "unplaced", "eeeeeeee", "-", "-",
                "no", "ready", "worker");
    }

    @Test
    void onlyRolloutsStillAtWorkAreInProgress() {
        ClusterPrinter.status(out, CLUSTER, "http://127.0.0.1:7440", NOW);

        String inProgress = text.toString().substring(text.toString().indexOf("ROLLOUTS IN PROGRESS"));
        assertThat(inProgress).contains("web").contains("canary").contains("paused")
                .contains("3 (from 2)").contains("1 healthy, 1 updated of 2")
                .contains("canary healthy, waiting for promote")
                .doesNotContain("succeeded");
    }

    @Test
    void anEmptyClusterSaysSoInsteadOfPrintingEmptyTables() {
        ClusterPrinter.status(out, json("{'leader': 'http://cp:7440', 'sources': [], 'workers': [], 'vms': [], "
                + "'rollouts': []}"), "http://cp:7440", NOW);

        assertThat(text.toString()).contains("No source has published a generation yet.")
                .contains("No worker has registered.").contains("No VM replica is desired.").contains("None.")
                .doesNotContain("HOSTNAME");
    }

    @Test
    void aRolloutIsShownWithEveryTransitionAndItsReason() {
        ClusterPrinter.rollout(out, json("""
                {'id': 7, 'vm': 'web', 'source': 'alice/shop@main', 'strategy': 'canary', 'state': 'inProgress',
                 'reason': 'promoted by admin', 'generation': 3, 'fromGeneration': 2, 'updatedReplicas': 1,
                 'healthyReplicas': 1, 'totalReplicas': 2, 'updatedAt': '2026-12-05T06:59:40Z',
                 'transitions': [
                   {'at': '2026-12-05T06:59:00Z', 'from': null, 'to': 'pending', 'reason': 'generation 3 published'},
                   {'at': '2026-12-05T06:59:30Z', 'from': 'inProgress', 'to': 'paused', 'reason': 'canary healthy'},
                   {'at': '2026-12-05T06:59:40Z', 'from': 'paused', 'to': 'inProgress', 'reason': 'promoted by admin'}]}
                """));

        assertThat(text.toString()).contains("rollout:     7").contains("strategy:    canary")
                .contains("state:       inProgress").contains("generation:  3 (from 2)")
                .contains("progress:    1 healthy, 1 updated of 2");
        List<String> transitions = lines().subList(lines().indexOf("") + 1, lines().size());
        assertThat(transitions.getFirst()).containsSubsequence("AT", "FROM", "TO", "REASON");
        assertThat(transitions.get(1)).containsSubsequence("06:59:00Z", "-", "pending", "generation 3 published");
        assertThat(transitions.get(2)).containsSubsequence("06:59:30Z", "inProgress", "paused", "canary healthy");
        assertThat(transitions.get(3)).containsSubsequence("06:59:40Z", "paused", "inProgress", "promoted by admin");
    }

    @Test
    void anOperatorCallIsAnsweredInOneLine() {
        assertThat(ClusterPrinter.summary(CLUSTER.path("rollouts").get(0)))
                .isEqualTo("web: canary rollout 7 is paused, 1 healthy, 1 updated of 2 "
                        + "(canary healthy, waiting for promote)");
    }

    @Test
    void timesAreReadAsIsoTextOrEpochMilliseconds() {
        long millis = Instant.parse("2026-12-05T06:59:30Z").toEpochMilli();
        assertThat(ClusterPrinter.time(json(Long.toString(millis)))).isEqualTo("2026-12-05 06:59:30Z");
        assertThat(ClusterPrinter.time(json("'2026-12-05T06:59:30.5Z'"))).isEqualTo("2026-12-05 06:59:30Z");
        assertThat(ClusterPrinter.time(json("0"))).isEqualTo("-");
        assertThat(ClusterPrinter.ago(json(Long.toString(millis)), NOW)).isEqualTo("30s ago");
        assertThat(ClusterPrinter.ago(json("'2026-12-05T04:00:00Z'"), NOW)).isEqualTo("3h ago");
        assertThat(ClusterPrinter.ago(json("null"), NOW)).isEqualTo("never");
    }

    @Test
    void aRolloutWithoutAnEarlierGenerationSaysNoFrom() {
        ClusterPrinter.rollouts(out, List.of(json("""
                {'id': 1, 'vm': 'web', 'strategy': 'rolling', 'state': 'succeeded', 'reason': 'all healthy',
                 'generation': 1, 'fromGeneration': 0, 'updatedReplicas': 2, 'healthyReplicas': 2,
                 'totalReplicas': 2, 'updatedAt': 1780000000000}""")));
        assertThat(lines().get(1)).containsSubsequence("1", "web", "rolling", "succeeded", "1", "2 healthy")
                .doesNotContain("from");
    }

    @Test
    void closuresAreShownByTheStartOfTheirHash() {
        assertThat(ClusterPrinter.closure(json("'" + WEB_V1 + "'"))).isEqualTo("aaaaaaaa");
        assertThat(ClusterPrinter.closure(json("null"))).isEqualTo("-");
        assertThat(ClusterPrinter.closure(json("'not-a-store-path'"))).isEqualTo("not-a-store-path");
        assertThat(ClusterPrinter.number(2.0)).isEqualTo("2");
        assertThat(ClusterPrinter.number(0.25)).isEqualTo("0.25");
    }
}
