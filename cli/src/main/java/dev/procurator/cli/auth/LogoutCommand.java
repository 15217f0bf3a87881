package dev.procurator.cli.auth;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.procurator.cli.api.CliConfig;
import dev.procurator.cli.api.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Forgets the saved token and takes procurator out of git's credentials for the forge; the URLs stay saved. */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Remove the saved token and git's use of it for the forge.")
public final class LogoutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        Path file = CliConfig.file(env);
        // The saved configuration alone: PROCURATOR_TOKEN is the shell's to unset.
        CliConfig saved = CliConfig.load(Map.of(), file);
        String forge = saved.url(CliConfig.Endpoint.FORGE);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (saved.token() == null) {
            out.printf("No token saved in %s%n", file);
        } else {
            saved.loggedOut().save(file);
            out.printf("Logged out of %s: removed the token from %s%n", forge, file);
        }
        try {
            new GitCredentialSetup(new GitConfig()).remove(forge);
            out.printf("git: no longer gets credentials for %s from procurator%n", forge);
        } catch (GitConfig.GitMissingException e) {
            // no git, so no git configuration to undo
        } catch (CliException e) {
            err.printf("procurator: %s%n", e.getMessage());
        }
        if (env.get("PROCURATOR_TOKEN") != null) {
            err.println("procurator: PROCURATOR_TOKEN is still set in this shell and still wins: unset it too");
        }
        out.flush();
        err.flush();
        return 0;
    }
}
