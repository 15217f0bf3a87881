package dev.procurator.autonix.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar autonix.jar analyze <dir> [--json | --flake]}. */
@Command(name = "autonix", mixinStandardHelpOptions = true,
        description = "Detects languages, build systems, services and CI configs of a repository and generates a flake.",
        subcommands = {AnalyzeCommand.class})
public final class AutonixCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new AutonixCli());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: analyze");
    }
}
