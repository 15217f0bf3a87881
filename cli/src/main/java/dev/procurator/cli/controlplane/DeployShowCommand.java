package dev.procurator.cli.controlplane;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "show",
        description = "Show a rollout (a VM's newest, or one by id) with every transition and its reason.")
final class DeployShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<vm|rolloutId>",
            description = "A VM name (its newest rollout) or a rollout id.")
    String target;

    @Option(names = "--json", description = "Print the rollout as JSON.")
    boolean json;

    @Override
    public Integer call() {
        JsonNode rollout = ControlPlane.fromEnvironment().findRollout(target);
        if (json) {
            Json.print(spec.commandLine().getOut(), rollout);
        } else {
            ClusterPrinter.rollout(spec.commandLine().getOut(), rollout);
        }
        return 0;
    }
}
