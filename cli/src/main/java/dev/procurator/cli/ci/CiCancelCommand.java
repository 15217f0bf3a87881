package dev.procurator.cli.ci;


import dev.procurator.cli.api.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "cancel", description = "Cancel a queued or running pipeline.")
final class CiCancelCommand extends ApiCommand {

    @Parameters(index = "0", description = "Pipeline id.")
    long id;

    @Override
    public Integer call() {
        JsonNode pipeline = Pipelines.fromEnvironment().api().post("/api/v1/pipelines/" + id + "/cancel", null);
        String status = pipeline.path("status").asString();
        out().printf(status.equals("cancelled") ? "Cancelled pipeline %d%n"
                : "Cancelling pipeline %d (it stops at its current step)%n", id);
        out().flush();
        return 0;
    }
}
