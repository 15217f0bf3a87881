package dev.procurator.cli.controlplane;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "list", description = "List recent rollouts: state, progress and reason.")
final class DeployListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--vm", description = "Only the rollouts of this VM.")
    String vm;

    @Option(names = "--json", description = "Print the rollouts as JSON.")
    boolean json;

    @Override
    public Integer call() {
        JsonNode rollouts = ControlPlane.fromEnvironment().rollouts(vm);
        if (json) {
            Json.print(spec.commandLine().getOut(), rollouts);
        } else if (rollouts.isEmpty()) {
            spec.commandLine().getOut().println(vm == null ? "No rollout yet." : "No rollout of " + vm + " yet.");
            spec.commandLine().getOut().flush();
        } else {
            ClusterPrinter.rollouts(spec.commandLine().getOut(), rollouts);
        }
        return 0;
    }
}
