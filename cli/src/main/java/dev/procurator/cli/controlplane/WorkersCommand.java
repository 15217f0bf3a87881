package dev.procurator.cli.controlplane;

import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code procurator workers}: the worker registry; {@code workers drain} moves a host's replicas away. */
@Command(name = "workers", description = "List workers with their state and allocation; drain one.",
        mixinStandardHelpOptions = true, subcommands = WorkersDrainCommand.class)
public final class WorkersCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the workers as JSON.")
    boolean json;

    @Override
    public Integer call() {
        JsonNode workers = ControlPlane.fromEnvironment().cluster().path("workers");
        if (json) {
            Json.print(spec.commandLine().getOut(), workers);
        } else if (workers.isEmpty()) {
            spec.commandLine().getOut().println("No worker has registered.");
            spec.commandLine().getOut().flush();
        } else {
            ClusterPrinter.workers(spec.commandLine().getOut(), workers, Instant.now());
        }
        return 0;
    }
}
