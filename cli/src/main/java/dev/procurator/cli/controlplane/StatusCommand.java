package dev.procurator.cli.controlplane;

import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code procurator status}: the cluster as the control plane sees it; exit 1 when it cannot be reached. */
@Command(name = "status", description = "Show the cluster: sources and their generation, workers, replicas desired vs "
        + "observed with health, rollouts in progress.")
public final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the control plane's JSON (GET /api/v1/cluster).")
    boolean json;

    @Override
    public Integer call() {
        ControlPlane controlPlane = ControlPlane.fromEnvironment();
        JsonNode cluster = controlPlane.cluster();
        if (json) {
            Json.print(spec.commandLine().getOut(), cluster);
        } else {
            ClusterPrinter.status(spec.commandLine().getOut(), cluster, controlPlane.url(), Instant.now());
        }
        return 0;
    }
}
