package dev.procurator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class ProcuratorTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Procurator.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void helpListsUp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: procurator").contains("up ");
    }

    @Test
    void versionNamesProcuratorAndJava() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("procurator ").contains("Java ");
    }

    @Test
    void badInputIsAUsageErrorNotAStart() {
        assertThat(run("up", "--only", "forge,nope")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown service 'nope'");
        assertThat(run("up", "--base-port", "65500")).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing subcommand");
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
