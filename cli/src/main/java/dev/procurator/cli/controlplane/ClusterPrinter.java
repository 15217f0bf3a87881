package dev.procurator.cli.controlplane;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.procurator.cli.api.Table;
import tools.jackson.databind.JsonNode;

/**
 * How the control-plane commands print the cluster ({@code GET /api/v1/cluster}) and its rollouts: one table per
 * concept, closures by the first characters of their store hash, times relative to {@code now}.
 */
final class ClusterPrinter {

    /** Rollout states in which a rollout still has work to do (or waits for an operator). */
    static final Set<String> ACTIVE = Set.of("pending", "inProgress", "paused", "rollingBack");

    private static final String STORE = "/nix/store/";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private ClusterPrinter() {
    }

    /** {@code procurator status}: where the control plane is, then sources, workers, replicas, active rollouts. */
    static void status(PrintWriter out, JsonNode cluster, String url, Instant now) {
        out.printf("control plane: %s (leader %s)%n", url, text(cluster.path("leader")));
        out.println();
        section(out, "SOURCES", cluster.path("sources"), "No source has published a generation yet.",
                () -> sources(out, cluster.path("sources")));
        section(out, "WORKERS", cluster.path("workers"), "No worker has registered.",
                () -> workers(out, cluster.path("workers"), now));
        section(out, "REPLICAS", cluster.path("vms"), "No VM replica is desired.",
                () -> replicas(out, cluster.path("vms")));
        List<JsonNode> active = new ArrayList<>();
        cluster.path("rollouts").forEach(r -> {
            if (ACTIVE.contains(r.path("state").asString())) {
                active.add(r);
            }
        });
        out.println("ROLLOUTS IN PROGRESS");
        if (active.isEmpty()) {
            out.println("None.");
        } else {
            rollouts(out, active);
        }
        out.flush();
    }

    private static void section(PrintWriter out, String title, JsonNode items, String none, Runnable table) {
        out.println(title);
        if (items.isEmpty()) {
            out.println(none);
        } else {
            table.run();
        }
        out.println();
    }

    static void sources(PrintWriter out, JsonNode sources) {
        Table table = new Table("REPOSITORY", "BRANCH", "GENERATION", "COMMIT", "PUBLISHED");
        sources.forEach(s -> table.row(text(s.path("repo")), text(s.path("branch")), text(s.path("generation")),
                shortSha(s.path("commit").asString()), time(s.path("publishedAt"))));
        table.print(out);
    }

    static void workers(PrintWriter out, JsonNode workers, Instant now) {
        Table table = new Table("ID", "HOSTNAME", "STATE", "CPU", "MEMORY", "LABELS", "HEARTBEAT");
        workers.forEach(w -> table.row(text(w.path("id")), text(w.path("hostname")), text(w.path("state")),
                cpu(w.path("allocated").path("cpu"), w.path("capacity").path("cpu")),
                memory(w.path("allocated").path("memoryMb"), w.path("capacity").path("memoryMb")),
                list(w.path("labels")), ago(w.path("lastHeartbeat"), now)));
        table.print(out);
    }

    /** Each replica, desired against observed closure; {@code NO} in MATCH when a replica runs something else. */
    static void replicas(PrintWriter out, JsonNode vms) {
        Table table = new Table("VM", "REPLICA", "WORKER", "STATE", "HEALTH", "GEN", "DESIRED", "OBSERVED", "MATCH",
                "MESSAGE");
        vms.forEach(v -> table.row(text(v.path("name")), text(v.path("replica")), text(v.path("worker")),
                text(v.path("state")), text(v.path("health")), text(v.path("generation")),
                closure(v.path("desiredClosure")), closure(v.path("observedClosure")), match(v),
                text(v.path("message"))));
        table.print(out);
    }

    /** {@code yes}, {@code NO} (observed differs from desired) or {@code -} (nothing observed yet). */
    static String match(JsonNode vm) {
        String observed = vm.path("observedClosure").asString("");
        if (observed.isEmpty()) {
            return "-";
        }
        return observed.equals(vm.path("desiredClosure").asString("")) ? "yes" : "NO";
    }

    static void rollouts(PrintWriter out, Iterable<JsonNode> rollouts) {
        Table table = new Table("ID", "VM", "STRATEGY", "STATE", "GENERATION", "PROGRESS", "UPDATED", "REASON");
        rollouts.forEach(r -> table.row(text(r.path("id")), text(r.path("vm")), text(r.path("strategy")),
                text(r.path("state")), generations(r), progress(r), time(r.path("updatedAt")), text(r.path("reason"))));
        table.print(out);
    }

    /** {@code procurator deploy show}: the rollout, then every transition with its reason. */
    static void rollout(PrintWriter out, JsonNode r) {
        out.printf("rollout:     %s%n", text(r.path("id")));
        out.printf("vm:          %s%n", text(r.path("vm")));
        out.printf("source:      %s%n", text(r.path("source")));
        out.printf("strategy:    %s%n", text(r.path("strategy")));
        out.printf("state:       %s%n", text(r.path("state")));
        out.printf("reason:      %s%n", text(r.path("reason")));
        out.printf("generation:  %s%n", generations(r));
        out.printf("progress:    %s%n", progress(r));
        out.printf("updated:     %s%n", time(r.path("updatedAt")));
        JsonNode transitions = r.path("transitions");
        if (!transitions.isEmpty()) {
            out.println();
            Table table = new Table("AT", "FROM", "TO", "REASON");
            transitions.forEach(t -> table.row(time(t.path("at")), text(t.path("from")), text(t.path("to")),
                    text(t.path("reason"))));
            table.print(out);
        }
        out.flush();
    }

    /** One line for an operator call's answer: {@code web: canary rollout 7 is paused (reason)}. */
    static String summary(JsonNode r) {
        String reason = r.path("reason").asString("");
        return String.format("%s: %s rollout %s is %s, %s%s", text(r.path("vm")), text(r.path("strategy")),
                text(r.path("id")), text(r.path("state")), progress(r), reason.isEmpty() ? "" : " (" + reason + ")");
    }

    static String progress(JsonNode r) {
        return String.format("%d healthy, %d updated of %d", r.path("healthyReplicas").asInt(),
                r.path("updatedReplicas").asInt(), r.path("totalReplicas").asInt());
    }

    private static String generations(JsonNode r) {
        long from = r.path("fromGeneration").asLong(0);
        return text(r.path("generation")) + (from <= 0 ? "" : " (from " + from + ")");
    }

    static String cpu(JsonNode allocated, JsonNode capacity) {
        return number(allocated.asDouble()) + "/" + number(capacity.asDouble());
    }

    static String memory(JsonNode allocatedMb, JsonNode capacityMb) {
        return allocatedMb.asLong() + "/" + capacityMb.asLong() + " MiB";
    }

    /** 2 rather than 2.0, 1.5 as 1.5. */
    static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** A store path by the first 8 characters of its hash, which is what tells two closures apart. */
    static String closure(JsonNode path) {
        String value = path.asString("");
        if (value.isEmpty()) {
            return "-";
        }
        return value.startsWith(STORE) && value.length() >= STORE.length() + 8
                ? value.substring(STORE.length(), STORE.length() + 8) : value;
    }

    static String shortSha(String sha) {
        return sha == null || sha.isEmpty() ? "-" : sha.length() > 10 ? sha.substring(0, 10) : sha;
    }

    /** An instant as UTC to the second; the API may give ISO-8601 text or epoch milliseconds. */
    static String time(JsonNode instant) {
        Instant parsed = instant(instant);
        return parsed == null ? "-" : TIME.format(parsed);
    }

    static Instant instant(JsonNode value) {
        if (value.isNumber()) {
            return value.asLong() <= 0 ? null : Instant.ofEpochMilli(value.asLong());
        }
        if (value.isNull() || value.isMissingNode() || value.asString().isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value.asString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code 4s ago}, {@code 3m ago}: how long since the instant, to the unit that matters. */
    static String ago(JsonNode instant, Instant now) {
        Instant then = instant(instant);
        if (then == null) {
            return "never";
        }
        Duration since = Duration.between(then, now);
        if (since.isNegative() || since.toSeconds() < 60) {
            return Math.max(0, since.toSeconds()) + "s ago";
        }
        return since.toMinutes() < 60 ? since.toMinutes() + "m ago" : since.toHours() + "h ago";
    }

    private static String list(JsonNode values) {
        List<String> items = new ArrayList<>();
        values.forEach(v -> items.add(v.asString()));
        return items.isEmpty() ? "-" : String.join(",", items);
    }

    private static String text(JsonNode value) {
        if (value.isNull() || value.isMissingNode()) {
            return "-";
        }
        String text = value.asString();
        return text.isEmpty() ? "-" : text;
    }
}
