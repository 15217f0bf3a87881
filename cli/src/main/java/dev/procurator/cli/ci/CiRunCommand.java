package dev.procurator.cli.ci;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.procurator.cli.api.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "run", description = "Queue a pipeline for a branch's current commit.")
final class CiRunCommand extends ApiCommand {

    @Parameters(index = "0", description = "Repository, owner/name.")
    String repo;

    @Option(names = "--ref", defaultValue = "main", description = "Branch (default: ${DEFAULT-VALUE}).")
    String ref;

    @Option(names = {"-f", "--follow"}, description = "Stream its logs until it ends; exit 1 if it did not succeed.")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        Pipelines pipelines = Pipelines.fromEnvironment();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("repo", repo);
        body.put("ref", ref);
        JsonNode pipeline = pipelines.api().post("/api/v1/pipelines", body);
        return Queued.report(out(), pipelines, pipeline, follow);
    }
}
