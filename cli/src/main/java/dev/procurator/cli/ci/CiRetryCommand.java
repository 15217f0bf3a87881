package dev.procurator.cli.ci;


import dev.procurator.cli.api.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "retry", description = "Queue a finished pipeline's commit again.")
final class CiRetryCommand extends ApiCommand {

    @Parameters(index = "0", description = "Pipeline id.")
    long id;

    @Option(names = {"-f", "--follow"}, description = "Stream its logs until it ends; exit 1 if it did not succeed.")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        Pipelines pipelines = Pipelines.fromEnvironment();
        return Queued.report(out(), pipelines,
                pipelines.api().post("/api/v1/pipelines/" + id + "/retry", null), follow);
    }
}
