package dev.procurator.cli.ci;

import java.io.PrintWriter;

import dev.procurator.cli.api.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "logs", description = "Print a pipeline's logs (one step, or all in order); -f follows them live.")
final class CiLogsCommand extends ApiCommand {

    @Parameters(index = "0", description = "Pipeline id.")
    long id;

    @Parameters(index = "1", arity = "0..1", description = "Step name (default: every step).")
    String step;

    @Option(names = {"-f", "--follow"}, description = "Stream the logs until the pipeline (or the step) ends; "
            + "exit 1 if the pipeline did not succeed.")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = out();
        Pipelines pipelines = Pipelines.fromEnvironment();
        if (step != null) {
            if (follow) {
                try (EventStream events = pipelines.follow(id, step)) {
                    events.forEachLine(out::println);
                }
            } else {
                out.print(pipelines.logText(id, step));
            }
            out.flush();
            return 0;
        }
        if (follow) {
            JsonNode finished = pipelines.streamLogs(id, out);
            out.printf("==> pipeline %d %s <==%n", id, finished.path("status").asString());
            out.flush();
            return finished.path("status").asString().equals("succeeded") ? 0 : 1;
        }
        for (JsonNode s : pipelines.get(id).path("steps")) {
            String name = s.path("name").asString();
            out.printf("==> %s <==%n", name);
            out.print(pipelines.logText(id, name));
        }
        out.flush();
        return 0;
    }
}
