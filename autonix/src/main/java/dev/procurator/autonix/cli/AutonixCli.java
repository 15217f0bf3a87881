package dev.procurator.autonix.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar autonix.jar analyze <dir> [--json | --flake]}. */
@Command(name = "autonix", mixinStandardHelpOptions = true,
        description = "Detects languages, build systems, services and CI configs of a repository and generates a flake.",
        subcommands = {AnalyzeCommand.class}, versionProvider = AutonixCli.Version.class)
public final class AutonixCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new AutonixCli());
    }

    /** The version Maven writes into the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AutonixCli.class.getPackage().getImplementationVersion();
            return new String[] {"autonix " + (version == null ? "(development build)" : version)};
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: analyze");
    }
}
