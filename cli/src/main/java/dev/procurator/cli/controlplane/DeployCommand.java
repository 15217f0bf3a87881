package dev.procurator.cli.controlplane;

import picocli.CommandLine.Command;

/** {@code procurator deploy ...}: the rollouts of the control plane and the operator's calls on them. */
@Command(name = "deploy", description = "Follow and drive rollouts: list, show, promote, pause, resume, rollback.",
        mixinStandardHelpOptions = true,
        subcommands = {
                DeployListCommand.class,
                DeployShowCommand.class,
                DeployOperationCommand.Promote.class,
                DeployOperationCommand.Pause.class,
                DeployOperationCommand.Resume.class,
                DeployRollbackCommand.class,
        })
public final class DeployCommand {
}
