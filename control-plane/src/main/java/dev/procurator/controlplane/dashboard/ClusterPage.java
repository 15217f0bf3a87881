package dev.procurator.controlplane.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.procurator.controlplane.cluster.ClusterJson;
import dev.procurator.controlplane.event.Event;

/**
 * The cluster as the dashboard shows it: rows ready for the template (labels, percentages, badges, the operator calls
 * each rollout accepts), computed from the same {@link ClusterJson.Cluster} the HTTP API answers.
 */
record ClusterPage(String leader, List<WorkerRow> workers, List<SourceRow> sources, List<ReplicaRow> replicas,
                   List<RolloutRow> rollouts, List<EventRow> events) {

    /** Rollout states with work left (or an operator awaited). */
    static final Set<String> ACTIVE = Set.of("pending", "inProgress", "paused", "rollingBack");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final String STORE = "/nix/store/";

    record WorkerRow(String id, String hostname, String apiUrl, String state, String badge, String cpu, int cpuPercent,
                     String memory, int memoryPercent, List<String> labels, String heartbeat, String heartbeatAt) {
    }

    record SourceRow(String repo, String branch, long generation, String commit, String shortCommit,
                     String published) {
    }

    /** A replica: desired against observed closure, {@code mismatch} when the worker runs something else. */
    record ReplicaRow(String id, String vm, String source, int replica, String worker, String state, String stateBadge,
                      String health, String healthBadge, long generation, String desired, String desiredShort,
                      String observed, String observedShort, boolean mismatch, String message) {
    }

    record RolloutRow(long id, String vm, String strategy, String state, String badge, boolean active,
                      int healthy, int updated, int total, int healthyPercent, int updatedPercent, String generations,
                      String reason, String updatedAt, List<String> actions) {
    }

    record EventRow(long id, String at, String kind, String about, String message) {
    }

    static ClusterPage of(ClusterJson.Cluster cluster, List<Event> events, Instant now) {
        return new ClusterPage(cluster.leader() == null ? "no leader elected" : cluster.leader()
                + (cluster.leaderRpc() == null ? "" : " (RPC " + cluster.leaderRpc() + ")"),
                cluster.workers().stream().map(w -> worker(w, now)).toList(),
                cluster.sources().stream().map(ClusterPage::source).toList(),
                cluster.vms().stream().map(ClusterPage::replica).toList(),
                cluster.rollouts().stream().map(ClusterPage::rollout).toList(),
                events.reversed().stream().map(ClusterPage::event).toList());
    }

    private static WorkerRow worker(ClusterJson.WorkerJson w, Instant now) {
        return new WorkerRow(w.id(), w.hostname(), w.apiUrl(), w.state(), badge(w.state()),
                number(w.allocated().cpu()) + " / " + number(w.capacity().cpu()) + " CPU",
                percent(w.allocated().cpu(), w.capacity().cpu()),
                w.allocated().memoryMb() + " / " + w.capacity().memoryMb() + " MiB",
                percent(w.allocated().memoryMb(), w.capacity().memoryMb()), w.labels(),
                ago(w.lastHeartbeat(), now), time(w.lastHeartbeat()));
    }

    private static SourceRow source(ClusterJson.SourceJson s) {
        String commit = s.commit() == null ? "" : s.commit();
        return new SourceRow(s.repo(), s.branch(), s.generation(), commit,
                commit.length() > 10 ? commit.substring(0, 10) : commit, time(s.publishedAt()));
    }

    private static ReplicaRow replica(ClusterJson.VmJson v) {
        boolean mismatch = v.observedClosure() != null && !v.observedClosure().isEmpty()
                && !v.observedClosure().equals(v.desiredClosure());
        return new ReplicaRow(v.name() + "." + v.replica(), v.name(), v.source(), v.replica(), v.worker(), v.state(),
                badge(v.state()), v.health(), badge(v.health()), v.generation(), v.desiredClosure(),
                closure(v.desiredClosure()), v.observedClosure(), closure(v.observedClosure()), mismatch, v.message());
    }

    private static RolloutRow rollout(ClusterJson.RolloutJson r) {
        return new RolloutRow(r.id(), r.vm(), r.strategy(), r.state(), badge(r.state()), ACTIVE.contains(r.state()),
                r.healthyReplicas(), r.updatedReplicas(), r.totalReplicas(),
                percent(r.healthyReplicas(), r.totalReplicas()), percent(r.updatedReplicas(), r.totalReplicas()),
                r.fromGeneration() > 0 ? r.fromGeneration() + " → " + r.generation() : Long.toString(r.generation()),
                r.reason(), time(r.updatedAt()), actions(r.state(), r.strategy()));
    }

    /** The operator calls the control plane accepts for a rollout in this state. */
    static List<String> actions(String state, String strategy) {
        List<String> actions = new ArrayList<>();
        if ("paused".equals(state) && "canary".equals(strategy)) {
            actions.add("promote");
        }
        if ("pending".equals(state) || "inProgress".equals(state)) {
            actions.add("pause");
        }
        if ("paused".equals(state)) {
            actions.add("resume");
        }
        actions.add("rollback");
        return actions;
    }

    private static EventRow event(Event e) {
        String about = Stream.of(e.vm() == null ? null : "vm " + e.vm(),
                        e.worker() == null ? null : "worker " + e.worker(),
                        e.generation() == null ? null : "generation " + e.generation(),
                        e.rolloutId() == null ? null : "rollout " + e.rolloutId(), e.source())
                .filter(Objects::nonNull).collect(Collectors.joining(" · "));
        return new EventRow(e.id(), time(e.at()), e.kind(), about, e.message());
    }

    /** The layout's badge colours: green for what is well, red for what failed, amber for what is under way. */
    static String badge(String state) {
        return switch (state == null ? "" : state) {
            case "ready", "running", "healthy" -> "up";
            case "succeeded" -> "success";
            case "down", "unhealthy", "unplaced" -> "down";
            case "failed", "rolledBack" -> "failure";
            case "suspect", "draining", "pending", "fetching", "starting", "stopping", "inProgress", "paused",
                 "rollingBack" -> "pending";
            default -> "";
        };
    }

    static int percent(double used, double total) {
        return total <= 0 ? 0 : (int) Math.min(100, Math.round(used * 100 / total));
    }

    static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value)
                : Double.toString(Math.round(value * 100) / 100.0);
    }

    /** A store path by the start of its hash, which tells closures apart; the page shows the full path on hover. */
    static String closure(String path) {
        if (path == null || path.isEmpty()) {
            return "–";
        }
        return path.startsWith(STORE) && path.length() >= STORE.length() + 8
                ? path.substring(STORE.length(), STORE.length() + 8) : path;
    }

    static String time(long epochMillis) {
        return epochMillis <= 0 ? "–" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    static String ago(long epochMillis, Instant now) {
        if (epochMillis <= 0) {
            return "never";
        }
        long seconds = Math.max(0, Duration.between(Instant.ofEpochMilli(epochMillis), now).toSeconds());
        return seconds < 60 ? seconds + "s ago" : seconds < 3600 ? seconds / 60 + "m ago" : seconds / 3600 + "h ago";
    }
}
