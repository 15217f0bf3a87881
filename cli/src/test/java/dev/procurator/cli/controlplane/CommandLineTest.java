package dev.procurator.cli.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import dev.procurator.cli.Procurator;
import picocli.CommandLine;

class CommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Procurator.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void theControlPlaneCommandsAreRegistered() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("status").contains("workers").contains("deploy");
        assertThat(run("deploy", "--help")).isZero();
        assertThat(out.toString()).contains("list", "show", "promote", "pause", "resume", "rollback");
        assertThat(run("workers", "--help")).isZero();
        assertThat(out.toString()).contains("drain");
    }

    @Test
    void badArgumentsAreUsageErrorsBeforeAnyCall() {
        assertThat(run("deploy", "rollback", "web", "--to", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--to must be a generation number");
        assertThat(run("deploy", "promote")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter");
        assertThat(run("workers", "drain")).isEqualTo(2);
    }
}
