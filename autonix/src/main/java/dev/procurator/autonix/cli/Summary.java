package dev.procurator.autonix.cli;

import java.util.List;
import java.util.stream.Collectors;

import dev.procurator.autonix.analysis.RepositoryAnalysis;
import dev.procurator.autonix.build.BuildSystem;
import dev.procurator.autonix.ci.CiConfig;
import dev.procurator.autonix.service.Service;

/** The human-readable report printed without --json or --flake. */
final class Summary {

    private Summary() {
    }

    static String of(RepositoryAnalysis analysis) {
        StringBuilder text = new StringBuilder("Repository ").append(analysis.repository()).append('\n');
        section(text, "Languages", analysis.languages().stream()
                .map(language -> language.name() + ": " + language.files() + " files").toList());
        section(text, "Build systems", analysis.buildSystems().stream().map(Summary::buildSystem).toList());
        section(text, "Services", analysis.services().stream().map(Summary::service).toList());
        section(text, "CI", analysis.ci().stream().map(Summary::ci).toList());
        section(text, "Warnings", analysis.warnings().stream()
                .map(warning -> warning.path() + ": " + warning.message()).toList());
        return text.toString();
    }

    private static void section(StringBuilder text, String title, List<String> lines) {
        text.append('\n').append(title).append(lines.isEmpty() ? ": none\n" : ":\n");
        lines.forEach(line -> text.append("  ").append(line).append('\n'));
    }

    private static String buildSystem(BuildSystem system) {
        String lockfiles = system.lockfiles().isEmpty() ? "no lockfile" : String.join(", ", system.lockfiles());
        return system.tool() + " in " + system.dir() + " (" + lockfiles + ")"
                + (system.check() == null ? "" : "; check: " + system.check())
                + (system.build() == null ? "" : "; build: " + system.build());
    }

    private static String service(Service service) {
        String ports = service.ports().isEmpty() ? "no ports"
                : "ports " + service.ports().stream().map(String::valueOf).collect(Collectors.joining(", "));
        return service.name() + " (" + ports + ") from " + String.join(", ", service.sources())
                + (service.command() == null ? "" : "; runs: " + service.command());
    }

    private static String ci(CiConfig config) {
        return config.system() + ": " + config.path()
                + (config.jobs().isEmpty() ? "" : " (jobs: " + String.join(", ", config.jobs()) + ")");
    }
}
