package dev.procurator.cli.ci;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "retry", description = "Queue a finished pipeline's commit again.")
final class CiRetryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "Pipeline id.")
    long id;

    @Option(names = {"-f", "--follow"}, description = "Stream its logs until it ends; exit 1 if it did not succeed.")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        Pipelines pipelines = Pipelines.fromEnvironment();
        return Queued.report(spec.commandLine().getOut(), pipelines,
                pipelines.api().post("/api/v1/pipelines/" + id + "/retry", null), follow);
    }
}
