package dev.procurator.cli.ci;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

@Command(name = "cancel", description = "Cancel a queued or running pipeline.")
final class CiCancelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "Pipeline id.")
    long id;

    @Override
    public Integer call() {
        JsonNode pipeline = Pipelines.fromEnvironment().api().post("/api/v1/pipelines/" + id + "/cancel", null);
        String status = pipeline.path("status").asString();
        spec.commandLine().getOut().printf(status.equals("cancelled") ? "Cancelled pipeline %d%n"
                : "Cancelling pipeline %d (it stops at its current step)%n", id);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
