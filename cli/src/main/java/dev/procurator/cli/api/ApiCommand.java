package dev.procurator.cli.api;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command that calls the platform's APIs shares: picocli's streams (so tests and the launcher capture
 * them) and the platform as this invocation's environment configures it. A command implements {@code call()}.
 */
public abstract class ApiCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected Platform platform() {
        return Platform.fromEnvironment();
    }

    /** A new token's secret: alone on stdout (for scripts to capture), the notice about it on stderr. */
    protected void printSecretOnce(String secret, String notice) {
        out().println(secret);
        out().flush();
        err().println(notice + ": store it now, it is not shown again.");
        err().flush();
    }
}
