package dev.procurator.cli.ci;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import dev.procurator.cli.api.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List pipelines, newest first.")
final class CiListCommand extends ApiCommand {

    @Option(names = "--repo", description = "Only this repository (owner/name).")
    String repo;

    @Option(names = "--branch", description = "Only this branch (with --repo).")
    String branch;

    @Option(names = "--limit", defaultValue = "20", description = "How many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        StringBuilder query = new StringBuilder("/api/v1/pipelines?limit=").append(limit);
        if (repo != null) {
            query.append("&repo=").append(URLEncoder.encode(repo, StandardCharsets.UTF_8));
        }
        if (branch != null) {
            query.append("&branch=").append(URLEncoder.encode(branch, StandardCharsets.UTF_8));
        }
        Pipelines.printList(out(), Pipelines.fromEnvironment().api().get(query.toString()));
        return 0;
    }
}
