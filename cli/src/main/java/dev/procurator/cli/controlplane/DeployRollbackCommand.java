package dev.procurator.cli.controlplane;

import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "rollback", description = "Roll a VM back to a generation of its source (default: the last one whose "
        + "rollout succeeded), by its rollout strategy.")
final class DeployRollbackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "VM name.")
    String vm;

    @Option(names = "--to", paramLabel = "N", description = "The generation to go back to.")
    Long toGeneration;

    @Override
    public Integer call() {
        if (toGeneration != null && toGeneration < 1) {
            throw new ParameterException(spec.commandLine(), "--to must be a generation number (1 or more), got "
                    + toGeneration);
        }
        // No body: the control plane picks the last generation whose rollout succeeded.
        JsonNode rollout = ControlPlane.fromEnvironment().operate(vm, "rollback",
                toGeneration == null ? null : Map.of("toGeneration", toGeneration));
        spec.commandLine().getOut().println(ClusterPrinter.summary(rollout));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
