package dev.procurator.cli.controlplane;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** An operator call on a VM's current rollout that takes nothing but the VM: promote, pause, resume. */
abstract class DeployOperationCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "VM name.")
    String vm;

    private final String action;

    DeployOperationCommand(String action) {
        this.action = action;
    }

    @Override
    public Integer call() {
        JsonNode rollout = ControlPlane.fromEnvironment().operate(vm, action, null);
        spec.commandLine().getOut().println(ClusterPrinter.summary(rollout));
        spec.commandLine().getOut().flush();
        return 0;
    }

    @Command(name = "promote", description = "Promote a canary rollout paused after its canaries: the rest rolls out.")
    static final class Promote extends DeployOperationCommand {
        Promote() {
            super("promote");
        }
    }

    @Command(name = "pause", description = "Pause a VM's rollout: no more replicas are replaced until resumed.")
    static final class Pause extends DeployOperationCommand {
        Pause() {
            super("pause");
        }
    }

    @Command(name = "resume", description = "Resume a paused rollout.")
    static final class Resume extends DeployOperationCommand {
        Resume() {
            super("resume");
        }
    }
}
