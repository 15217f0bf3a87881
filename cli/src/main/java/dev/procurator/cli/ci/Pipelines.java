package dev.procurator.cli.ci;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.procurator.cli.api.ApiClient;
import dev.procurator.cli.api.CliConfig;
import dev.procurator.cli.api.Platform;
import dev.procurator.cli.api.Table;
import tools.jackson.databind.JsonNode;

/** The CI's pipelines API as the {@code ci} commands use it, and how they print pipelines. */
final class Pipelines {

    static final List<String> FINISHED = List.of("succeeded", "failed", "cancelled");

    private final Platform platform;
    private final ApiClient ci;

    Pipelines(Platform platform) {
        this.platform = platform;
        this.ci = platform.client(CliConfig.Endpoint.CI);
    }

    static Pipelines fromEnvironment() {
        return new Pipelines(Platform.fromEnvironment());
    }

    ApiClient api() {
        return ci;
    }

    JsonNode get(long id) {
        return ci.get("/api/v1/pipelines/" + id);
    }

    /** A step's whole log, as plain text. */
    String logText(long id, String step) {
        return EventStream.text(ci.baseUrl() + "/api/v1/pipelines/" + id + "/steps/" + step + "/log",
                platform.config().requireToken());
    }

    /** The step's log as Server-Sent Events, until the step ends. */
    EventStream follow(long id, String step) {
        return new EventStream(ci.baseUrl() + "/api/v1/pipelines/" + id + "/steps/" + step + "/log?follow=true",
                platform.config().requireToken());
    }

    /**
     * Prints every step's log in order, following the running one live until the pipeline finishes; returns the
     * pipeline as it finished.
     */
    JsonNode streamLogs(long id, PrintWriter out) throws InterruptedException {
        List<String> printed = new ArrayList<>();
        int attempt = -1;
        while (true) {
            JsonNode pipeline = get(id);
            if (pipeline.path("attempts").asInt() != attempt) {
                if (attempt != -1) {
                    out.printf("==> pipeline %d was taken up again (attempt %d) <==%n", id,
                            pipeline.path("attempts").asInt());
                }
                attempt = pipeline.path("attempts").asInt();
                printed.clear();
            }
            for (JsonNode step : pipeline.path("steps")) {
                String name = step.path("name").asString();
                if (printed.contains(name)) {
                    continue;
                }
                out.printf("==> %s <==%n", name);
                out.flush();
                try (EventStream events = follow(id, name)) {
                    events.forEachLine(line -> {
                        out.println(line);
                        out.flush();
                    });
                }
                printed.add(name);
            }
            if (FINISHED.contains(pipeline.path("status").asString())) {
                JsonNode finished = get(id);
                if (finished.path("steps").size() == printed.size()) {
                    return finished;
                }
                continue;
            }
            Thread.sleep(Duration.ofMillis(300));
        }
    }

    static void printList(PrintWriter out, JsonNode pipelines) {
        Table table = new Table("ID", "STATUS", "REPOSITORY", "BRANCH", "COMMIT", "TRIGGER", "CREATED", "DURATION",
                "CHANGED");
        for (JsonNode p : pipelines) {
            table.row(p.path("id").asLong(), p.path("status").asString(), p.path("repo").asString(),
                    p.path("branch").asString(), shortSha(p.path("commit").asString()), p.path("trigger").asString(),
                    time(p.path("createdAt")), duration(p.path("durationMs")), vms(p.path("changedVms")));
        }
        table.print(out);
    }

    static void printPipeline(PrintWriter out, JsonNode p) {
        out.printf("pipeline:    %d%n", p.path("id").asLong());
        out.printf("status:      %s%n", p.path("status").asString());
        out.printf("repository:  %s%n", p.path("repo").asString());
        out.printf("branch:      %s%n", p.path("branch").asString());
        out.printf("commit:      %s%n", p.path("commit").asString());
        out.printf("trigger:     %s%s%n", p.path("trigger").asString(),
                p.hasNonNull("triggeredBy") ? " by " + p.path("triggeredBy").asString() : "");
        out.printf("created:     %s%n", time(p.path("createdAt")));
        out.printf("duration:    %s%n", duration(p.path("durationMs")));
        out.printf("changed:     %s%n", vms(p.path("changedVms")));
        out.printf("page:        %s%n", p.path("url").asString());
        if (p.hasNonNull("message")) {
            out.printf("message:     %s%n", p.path("message").asString().replace("\n", "\n             "));
        }
        if (!p.path("steps").isEmpty()) {
            out.println();
            Table steps = new Table("STEP", "STATUS", "DURATION", "MESSAGE");
            for (JsonNode s : p.path("steps")) {
                steps.row(s.path("name").asString(), s.path("status").asString(), duration(s.path("durationMs")),
                        s.hasNonNull("message") ? s.path("message").asString().lines().findFirst().orElse("") : "");
            }
            steps.print(out);
        }
        if (p.hasNonNull("closures") && !p.path("closures").isEmpty()) {
            out.println();
            Table closures = new Table("VM", "CLOSURE");
            p.path("closures").properties().forEach(e -> closures.row(e.getKey(), e.getValue().asString()));
            closures.print(out);
        }
        out.flush();
    }

    private static String shortSha(String sha) {
        return sha.length() > 10 ? sha.substring(0, 10) : sha;
    }

    private static String time(JsonNode instant) {
        return instant.isNull() || instant.isMissingNode() ? "-"
                : instant.asString().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z");
    }

    private static String duration(JsonNode millis) {
        if (millis.isNull() || millis.isMissingNode()) {
            return "-";
        }
        Duration d = Duration.ofMillis(millis.asLong());
        return d.toMinutes() > 0 ? String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart())
                : String.format("%.1fs", d.toMillis() / 1000.0);
    }

    private static String vms(JsonNode changed) {
        List<String> names = new ArrayList<>();
        changed.forEach(vm -> names.add(vm.asString()));
        return names.isEmpty() ? "-" : String.join(",", names);
    }
}
