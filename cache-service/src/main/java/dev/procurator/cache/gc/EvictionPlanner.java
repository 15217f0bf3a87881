package dev.procurator.cache.gc;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Decides what to evict from one cache, as a pure function of its graph: least recently accessed first, but only
 * paths nothing else in the cache still references (so no narinfo is ever left with a missing reference) and never
 * inside the closure of a pinned path. Evicting a path can free its references, which then join the candidates.
 */
public final class EvictionPlanner {

    /** A stored path: its store hash, last access, bytes it frees, and the store hashes it references. */
    public record Node(long id, String hash, Instant lastAccess, long bytes, List<String> references) {
    }

    private EvictionPlanner() {
    }

    /** The ids to evict, in order, until {@code usage} is at most {@code limit} (or nothing more may go). */
    public static List<Node> plan(List<Node> nodes, Set<String> pinnedHashes, long usage, long limit) {
        List<Node> evict = new ArrayList<>();
        if (usage <= limit) {
            return evict;
        }
        Map<String, Node> byHash = new HashMap<>();
        nodes.forEach(n -> byHash.put(n.hash(), n));
        Set<String> kept = closure(pinnedHashes, byHash);
        Map<String, Integer> referrers = new HashMap<>();
        for (Node n : nodes) {
            for (String ref : n.references()) {
                if (!ref.equals(n.hash())) {
                    referrers.merge(ref, 1, Integer::sum);
                }
            }
        }
        PriorityQueue<Node> candidates = new PriorityQueue<>(Comparator.comparing(Node::lastAccess)
                .thenComparing(Node::id));
        for (Node n : nodes) {
            if (!kept.contains(n.hash()) && referrers.getOrDefault(n.hash(), 0) == 0) {
                candidates.add(n);
            }
        }
        long remaining = usage;
        while (remaining > limit && !candidates.isEmpty()) {
            Node victim = candidates.poll();
            evict.add(victim);
            remaining -= victim.bytes();
            for (String ref : victim.references()) {
                if (ref.equals(victim.hash())) {
                    continue;
                }
                int left = referrers.merge(ref, -1, Integer::sum);
                Node freed = byHash.get(ref);
                if (left == 0 && freed != null && !kept.contains(ref)) {
                    candidates.add(freed);
                }
            }
        }
        return evict;
    }

    /** Every hash reachable from {@code roots} through references (roots included when present). */
    public static Set<String> closure(Set<String> roots, Map<String, Node> byHash) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String hash = todo.pop();
            if (!seen.add(hash)) {
                continue;
            }
            Node node = byHash.get(hash);
            if (node != null) {
                todo.addAll(node.references());
            }
        }
        return seen;
    }
}
