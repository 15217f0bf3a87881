package dev.procurator.cli.up;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * The demo's progress, from what the services report (a CI pipeline's detail, the control plane's
 * {@code /api/v1/cluster}): each milestone is said once, the first time a snapshot shows it. Pure: the demo polls, this
 * decides what is new.
 */
final class DemoProgress {

    private final String repo;
    private final String branch;
    private final Set<String> said = new HashSet<>();

    /** @param repo {@code owner/name} on the forge */
    DemoProgress(String repo, String branch) {
        this.repo = repo;
        this.branch = branch;
    }

    /** New lines for a pipeline ({@code GET /api/v1/pipelines/<id>}): started, each finished step, the outcome. */
    List<String> pipeline(JsonNode pipeline) {
        List<String> lines = new ArrayList<>();
        String name = "pipeline #" + pipeline.path("id").asLong();
        once(lines, "pipeline", name + " for commit " + shortCommit(pipeline.path("commit").asString()) + ": "
                + pipeline.path("url").asString(""));
        for (JsonNode step : pipeline.path("steps")) {
            String status = step.path("status").asString("").toLowerCase(Locale.ROOT);
            if (status.isEmpty() || status.equals("running")) {
                continue;
            }
            String message = step.path("message").asString("");
            once(lines, "step " + step.path("name").asString(), "  " + step.path("name").asString() + " " + status
                    + seconds(step.path("durationMs")) + (message.isBlank() ? "" : ": " + firstLine(message)));
        }
        switch (pipeline.path("status").asString("")) {
            case "succeeded" -> once(lines, "pipeline done", name + " is green" + seconds(pipeline.path("durationMs")));
            case "failed", "cancelled" -> once(lines, "pipeline done", name + " " + pipeline.path("status").asString()
                    + ": " + firstLine(pipeline.path("message").asString("")));
            default -> {
            }
        }
        return lines;
    }

    /** Whether the pipeline has ended, and how. */
    static boolean finished(JsonNode pipeline) {
        return List.of("succeeded", "failed", "cancelled").contains(pipeline.path("status").asString(""));
    }

    static boolean succeeded(JsonNode pipeline) {
        return pipeline.path("status").asString("").equals("succeeded");
    }

    /** The closures the pipeline built, once the cache has answered for every one of them. */
    List<String> cached(List<String> closures) {
        List<String> lines = new ArrayList<>();
        List<String> names = closures.stream().map(DemoProgress::storeName).toList();
        once(lines, "cache", "closures in the cache: " + String.join(", ", names));
        return lines;
    }

    /** New lines for the cluster: the source's generation published, each replica placed, booted, healthy. */
    List<String> cluster(JsonNode cluster) {
        List<String> lines = new ArrayList<>();
        JsonNode source = source(cluster);
        if (source == null) {
            return lines;
        }
        long generation = source.path("generation").asLong();
        once(lines, "generation " + generation, "generation " + generation + " published (commit "
                + shortCommit(source.path("commit").asString("")) + ")");
        for (JsonNode vm : replicas(cluster)) {
            String replica = vm.path("name").asString() + "/" + vm.path("replica").asInt();
            String desired = vm.path("desiredClosure").asString("");
            String worker = vm.path("worker").asString("");
            if (!worker.isEmpty()) {
                once(lines, "placed " + replica + desired + worker, replica + " placed on worker " + worker + " ("
                        + storeName(desired) + ")");
            }
            if (booted(vm)) {
                once(lines, "booted " + replica + desired, replica + " booted");
            }
            if (booted(vm) && vm.path("health").asString("").equals("healthy")) {
                once(lines, "healthy " + replica + desired, replica + " healthy");
            }
        }
        return lines;
    }

    /** Every replica of the source runs its desired closure and is healthy, and its rollouts are over. */
    boolean allHealthy(JsonNode cluster) {
        List<JsonNode> replicas = replicas(cluster);
        if (source(cluster) == null || replicas.isEmpty()) {
            return false;
        }
        boolean rolling = false;
        for (JsonNode rollout : cluster.path("rollouts")) {
            String state = rollout.path("state").asString("");
            rolling |= ours(rollout.path("source").asString("")) && (state.equals("pending")
                    || state.equals("inProgress") || state.equals("rollingBack"));
        }
        return !rolling && replicas.stream()
                .allMatch(vm -> booted(vm) && vm.path("health").asString("").equals("healthy"));
    }

    private JsonNode source(JsonNode cluster) {
        for (JsonNode source : cluster.path("sources")) {
            if (source.path("repo").asString("").equals(repo) && source.path("branch").asString("").equals(branch)) {
                return source;
            }
        }
        return null;
    }

    private List<JsonNode> replicas(JsonNode cluster) {
        List<JsonNode> replicas = new ArrayList<>();
        for (JsonNode vm : cluster.path("vms")) {
            if (ours(vm.path("source").asString(""))) {
                replicas.add(vm);
            }
        }
        return replicas;
    }

    /** The control plane names a source {@code <repo>@<branch>}. */
    private boolean ours(String source) {
        return source.equals(repo + "@" + branch);
    }

    private static boolean booted(JsonNode vm) {
        String desired = vm.path("desiredClosure").asString("");
        return !desired.isEmpty() && desired.equals(vm.path("observedClosure").asString(""))
                && vm.path("state").asString("").equals("running");
    }

    private void once(List<String> lines, String key, String line) {
        if (said.add(key)) {
            lines.add(line);
        }
    }

    /** {@code /nix/store/<hash>-web} → {@code web}. */
    static String storeName(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.length() > 33 && name.charAt(32) == '-' ? name.substring(33) : name;
    }

    private static String shortCommit(String commit) {
        return commit.length() > 7 ? commit.substring(0, 7) : commit;
    }

    private static String seconds(JsonNode millis) {
        return millis.isNumber() ? String.format(Locale.ROOT, " (%.1f s)", millis.asLong() / 1000.0) : "";
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline);
    }
}
