package dev.procurator.cli.ci;

import java.io.PrintWriter;

import tools.jackson.databind.JsonNode;

/** What {@code run} and {@code retry} print for the pipeline they queued, and their {@code --follow}. */
final class Queued {

    private Queued() {
    }

    static int report(PrintWriter out, Pipelines pipelines, JsonNode pipeline, boolean follow)
            throws InterruptedException {
        long id = pipeline.path("id").asLong();
        out.printf("Queued pipeline %d for %s@%s (%s)%n  %s%n", id, pipeline.path("repo").asString(),
                pipeline.path("branch").asString(), pipeline.path("commit").asString(),
                pipeline.path("url").asString());
        out.flush();
        if (!follow) {
            return 0;
        }
        JsonNode finished = pipelines.streamLogs(id, out);
        out.printf("==> pipeline %d %s <==%n", id, finished.path("status").asString());
        out.flush();
        return finished.path("status").asString().equals("succeeded") ? 0 : 1;
    }
}
