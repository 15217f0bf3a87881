package dev.procurator.cli.ci;

import picocli.CommandLine.Command;

/** {@code procurator ci ...}: pipelines of the CI service. */
@Command(name = "ci", description = "Follow and drive CI pipelines: list, show, logs, run, retry, cancel.",
        mixinStandardHelpOptions = true,
        subcommands = {
                CiListCommand.class,
                CiShowCommand.class,
                CiLogsCommand.class,
                CiRunCommand.class,
                CiRetryCommand.class,
                CiCancelCommand.class,
        })
public final class CiCommand {
}
