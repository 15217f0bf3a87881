package dev.procurator.cache.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.procurator.cache.gc.EvictionPlanner.Node;

class EvictionPlannerTest {

    static Node node(long id, String hash, int accessedAt, long bytes, String... refs) {
        return new Node(id, hash, Instant.ofEpochSecond(accessedAt), bytes, List.of(refs));
    }

    // app1 → lib → base; app2 → base; old is alone
    static final List<Node> GRAPH = List.of(
            node(1, "base", 10, 100, "base"),
            node(2, "lib", 20, 100, "base"),
            node(3, "app1", 30, 100, "lib"),
            node(4, "app2", 50, 100, "base"),
            node(5, "old", 5, 100));

    static List<String> hashes(List<Node> nodes) {
        return nodes.stream().map(Node::hash).toList();
    }

    @Test
    void nothingWhenUnderTheLimit() {
        assertThat(EvictionPlanner.plan(GRAPH, Set.of(), 500, 500)).isEmpty();
    }

    @Test
    void leastRecentlyUsedFirstButNeverAPathStillReferenced() {
        // base is the oldest but referenced: old goes first, then app1 (30), freeing lib (20), then lib.
        assertThat(hashes(EvictionPlanner.plan(GRAPH, Set.of(), 500, 200))).containsExactly("old", "app1", "lib");
        // everything can go, leaves before what they reference
        assertThat(hashes(EvictionPlanner.plan(GRAPH, Set.of(), 500, 0)))
                .containsExactly("old", "app1", "lib", "app2", "base");
    }

    @Test
    void pinnedClosuresStay() {
        List<String> evicted = hashes(EvictionPlanner.plan(GRAPH, Set.of("app1"), 500, 0));
        assertThat(evicted).containsExactly("old", "app2");
        assertThat(evicted).doesNotContain("app1", "lib", "base");
    }
}
