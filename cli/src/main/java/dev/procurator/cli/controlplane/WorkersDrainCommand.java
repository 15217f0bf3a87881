package dev.procurator.cli.controlplane;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code procurator workers drain [--undo] <id>}: an operator call, so it needs the admin token. */
@Command(name = "drain", description = "Drain a worker: its replicas move to other workers and it takes no new ones. "
        + "--undo lets it take replicas again.")
final class WorkersDrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "Worker id.")
    String id;

    @Option(names = "--undo", description = "Stop draining: the worker takes replicas again.")
    boolean undo;

    @Override
    public Integer call() {
        JsonNode worker = ControlPlane.fromEnvironment().drain(id, !undo);
        String state = worker.path("state").asString();
        spec.commandLine().getOut().println(undo
                ? "Worker " + id + " takes replicas again (state " + state + ")"
                : "Draining worker " + id + ": its replicas move to other workers (state " + state + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
