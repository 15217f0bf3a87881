package dev.procurator.cli.ci;


import dev.procurator.cli.api.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Show a pipeline: status, steps, closures, changed VMs.")
final class CiShowCommand extends ApiCommand {

    @Parameters(index = "0", description = "Pipeline id.")
    long id;

    @Override
    public Integer call() {
        Pipelines.printPipeline(out(), Pipelines.fromEnvironment().get(id));
        return 0;
    }
}
