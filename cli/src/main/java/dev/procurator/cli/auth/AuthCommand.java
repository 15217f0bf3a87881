package dev.procurator.cli.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import dev.procurator.cli.api.CliConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code procurator auth ...}: the saved credential as other tools use it. */
@Command(name = "auth", description = "Let other tools (git) use your procurator credentials.",
        mixinStandardHelpOptions = true, subcommands = {AuthCommand.SetupGit.class, AuthCommand.GitCredential.class})
public final class AuthCommand {

    @Command(name = "setup-git", description = "Make git get its credentials for the forge from procurator "
            + "(login does this; run it again after moving the CLI or its Java).")
    static final class SetupGit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String forge = CliConfig.load(System.getenv()).url(CliConfig.Endpoint.FORGE);
            new GitCredentialSetup(new GitConfig()).installForThisCli(forge);
            spec.commandLine().getOut().printf("git: pushes to %s authenticate with your procurator token%n", forge);
            return 0;
        }
    }

    /** What git runs: {@code procurator auth git-credential get|store|erase}, the request on stdin. */
    @Command(name = "git-credential", hidden = true,
            description = "The credential helper git runs (git-credential(1)): get, store or erase.")
    static final class GitCredential implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "OPERATION", description = "get, store or erase (others are ignored).")
        String operation;

        @Override
        public Integer call() throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            new GitCredentialHelper(CliConfig.load(System.getenv())).handle(operation, in, spec.commandLine().getOut());
            return 0;
        }
    }
}
