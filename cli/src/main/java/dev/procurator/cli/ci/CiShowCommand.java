package dev.procurator.cli.ci;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "show", description = "Show a pipeline: status, steps, closures, changed VMs.")
final class CiShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "Pipeline id.")
    long id;

    @Override
    public Integer call() {
        Pipelines.printPipeline(spec.commandLine().getOut(), Pipelines.fromEnvironment().get(id));
        return 0;
    }
}
