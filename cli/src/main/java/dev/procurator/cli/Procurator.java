package dev.procurator.cli;

import dev.procurator.cli.api.CliException;
import dev.procurator.cli.auth.AuthCommand;
import dev.procurator.cli.auth.LoginCommand;
import dev.procurator.cli.auth.LogoutCommand;
import dev.procurator.cli.cache.CacheCommand;
import dev.procurator.cli.repo.RepoCommand;
import dev.procurator.cli.token.TokenCommand;
import dev.procurator.cli.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * The {@code procurator} command. Every subcommand is registered here, in {@code subcommands}, and lives in its own
 * feature package ({@code dev.procurator.cli.<area>}): add {@code repo}, {@code cache}, {@code deploy}... to the list.
 */
@Command(name = "procurator",
        description = "Self-hosted GitOps platform for NixOS microVMs.",
        mixinStandardHelpOptions = true,
        versionProvider = ProcuratorVersion.class,
        subcommands = {
                HelpCommand.class,
                UpCommand.class,
                LoginCommand.class,
                LogoutCommand.class,
                AuthCommand.class,
                RepoCommand.class,
                TokenCommand.class,
                CacheCommand.class,
                dev.procurator.cli.logs.LogsCommand.class,
                dev.procurator.cli.ci.CiCommand.class,
                dev.procurator.cli.controlplane.StatusCommand.class,
                dev.procurator.cli.controlplane.WorkersCommand.class,
                dev.procurator.cli.controlplane.DeployCommand.class,
        })
public final class Procurator implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The fully configured command line, also used by tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Procurator()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Procurator::reportFailure);
    }

    /** A {@link CliException} is the user's to act on: one line on stderr, exit 1, no stack trace. */
    private static int reportFailure(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof CliException) {
            command.getErr().println("procurator: " + e.getMessage());
            command.getErr().flush();
            return 1;
        }
        throw e;
    }

    @Override
    public void run() {
        // No subcommand given: show what there is instead of doing nothing silently.
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
