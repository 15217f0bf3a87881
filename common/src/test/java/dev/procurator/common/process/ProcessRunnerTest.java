package dev.procurator.common.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {

    private final ProcessRunner runner = new ProcessRunner();

    @Test
    void capturesOutputExitCodeAndStreamsLines() {
        List<String> lines = new CopyOnWriteArrayList<>();
        ProcessResult result = runner.run(Command.of("sh", "-c", "echo one; echo two; echo oops >&2; exit 3")
                .onLine(lines::add));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("one\ntwo\n");
        assertThat(result.stderr()).isEqualTo("oops\n");
        assertThat(lines).contains("one", "two", "oops");
        assertThatThrownBy(result::requireSuccess)
                .isInstanceOf(ProcessFailedException.class)
                .hasMessageContaining("exited with 3").hasMessageContaining("oops");
    }

    @Test
    void feedsStdinAndHonoursWorkDirAndEnvironment(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("marker"), "here");
        ProcessResult result = runner.run(Command.of("sh", "-c", "cat; cat marker; printf \" $GREETING\"")
                .in(dir).withEnv("GREETING", "hello").stdin("input;".getBytes(StandardCharsets.UTF_8)));

        assertThat(result.requireSuccess().stdout()).isEqualTo("input;here hello");
    }

    @Test
    void aLineWithoutEndReachesTheListenerInBoundedPieces() {
        List<String> lines = new CopyOnWriteArrayList<>();
        // 200 KiB without a newline, as an untrusted build might print: the listener never buffers it whole.
        runner.run(Command.of("sh", "-c", "head -c 204800 /dev/zero | tr '\\0' x").onLine(lines::add))
                .requireSuccess();

        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(ProcessRunner.LINE_LIMIT));
        assertThat(String.join("", lines)).hasSize(204800).matches("x+");
    }

    @Test
    void missingProgramIsAClearError() {
        assertThatThrownBy(() -> runner.run(Command.of("procurator-no-such-program", "--help")))
                .isInstanceOf(ToolMissingException.class)
                .hasMessageContaining("'procurator-no-such-program' is not installed");
    }

    @Test
    void timeoutKillsTheWholeProcessTree(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Command sleeper = Command.of("sh", "-c", "sleep 60 & echo $! > " + pidFile + "; echo started; wait")
                .timeout(Duration.ofMillis(700));

        assertThatThrownBy(() -> runner.run(sleeper))
                .isInstanceOf(ProcessTimeoutException.class)
                .satisfies(e -> assertThat(((ProcessTimeoutException) e).partial().stdout()).contains("started"));

        long child = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(runsWithin(child, Duration.ofSeconds(3))).as("the grandchild sleep was killed too").isFalse();
    }

    /** Whether the process still runs after the grace period; a killed orphan may linger as a zombie until reaped. */
    private static boolean runsWithin(long pid, Duration grace) throws Exception {
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline) {
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            if (!Files.exists(stat) || Files.readString(stat).replaceFirst("^.*\\) ", "").startsWith("Z")) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
