package dev.procurator.autonix.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.procurator.autonix.analysis.AnalysisException;
import dev.procurator.autonix.analysis.AnalysisJson;
import dev.procurator.autonix.analysis.RepositoryAnalysis;
import dev.procurator.autonix.analysis.RepositoryAnalyzer;
import dev.procurator.autonix.flake.FlakeGenerator;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = AutonixCli.Version.class,
        description = "Analyzes a repository checkout; prints a summary, the JSON report (--json) or a flake.nix (--flake).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:analyzed (warnings are part of the output)", "1:the directory cannot be analyzed",
                "2:bad command line"})
final class AnalyzeCommand implements Callable<Integer> {

    static final int CANNOT_ANALYZE = 1;

    @Parameters(paramLabel = "<dir>", description = "the repository checkout to analyze")
    private Path directory;

    @ArgGroup(exclusive = true)
    private Output output = new Output();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    static final class Output {
        @Option(names = "--json", description = "print the analysis report as JSON")
        boolean json;

        @Option(names = "--flake", description = "print a generated flake.nix (procurator.ci + blueprintJSON)")
        boolean flake;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RepositoryAnalysis analysis;
        try {
            analysis = new RepositoryAnalyzer().analyze(directory);
        } catch (AnalysisException e) {
            spec.commandLine().getErr().println("autonix: " + e.getMessage());
            return CANNOT_ANALYZE;
        }
        if (output.json) {
            out.println(AnalysisJson.write(analysis));
        } else if (output.flake) {
            out.print(new FlakeGenerator().generate(analysis));
        } else {
            out.print(Summary.of(analysis));
        }
        out.flush();
        return 0;
    }
}
