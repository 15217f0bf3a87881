package dev.procurator.cli.logs;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.procurator.cli.api.CliConfig;
import dev.procurator.cli.api.CliException;
import dev.procurator.cli.api.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code procurator logs <vm> [replica] [-f]}: a VM's serial console, read from the worker agent that runs it. The
 * control plane's {@code GET /api/v1/cluster} tells which worker runs the replica and that worker's API URL; the
 * agent serves {@code GET /api/v1/vms/<vm>/<replica>/console} ({@code ?follow=true} as Server-Sent Events).
 * {@code --agent <url>} reads an agent directly (single-host setups).
 */
@Command(name = "logs", description = "Print a VM's console log; -f keeps following it.")
public final class LogsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "VM name.")
    String vm;

    @Parameters(index = "1", arity = "0..1", description = "Replica id (default: the VM's lowest).")
    Integer replica;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
    boolean follow;

    @Option(names = {"-n", "--lines"}, defaultValue = "200", description = "Lines of history to print (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = "--agent", description = "Read this worker agent directly (its URL) instead of asking the control plane.")
    String agent;

    @Override
    public Integer call() {
        if (lines < 1 || lines > 10_000) {
            throw new CliException("--lines must be between 1 and 10000, got " + lines);
        }
        Platform platform = Platform.fromEnvironment();
        String token = platform.config().token();
        PrintWriter out = spec.commandLine().getOut();
        ReplicaLocation location;
        if (agent != null) {
            location = new ReplicaLocation(agent.replaceAll("/+$", ""), vm, replica == null ? 0 : replica);
        } else {
            var cluster = platform.client(CliConfig.Endpoint.CONTROL_PLANE).get("/api/v1/cluster");
            location = ReplicaLocation.find(cluster, vm, replica);
            if (location.note() != null) {
                spec.commandLine().getErr().println(location.note());
                spec.commandLine().getErr().flush();
            }
        }
        ConsoleClient client = new ConsoleClient(location.agentUrl(), token);
        if (follow) {
            client.follow(location.vm(), location.replica(), lines, line -> {
                out.println(line);
                out.flush();
            });
        } else {
            client.tail(location.vm(), location.replica(), lines).forEach(out::println);
            out.flush();
        }
        return 0;
    }
}
