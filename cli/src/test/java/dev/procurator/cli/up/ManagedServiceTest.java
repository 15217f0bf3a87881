package dev.procurator.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (sh), so restarts and process-tree stops are tested as they happen. */
class ManagedServiceTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final Output output = new Output(new PrintStream(printed, true, StandardCharsets.UTF_8),
            new LogPrefixer(List.of("demo"), false));
    private int launches;
    private final ServiceSpec spec = new ServiceSpec("demo", "Demo", 0, "DEMO_URL", List.of());

    private ManagedService service(String script) {
        Backoff quick = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMinutes(1));
        return new ManagedService(spec, List.of("sh", "-c", script), Map.of("GREETING", "hello"), dir, output, quick, pid -> launches++);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void prefixesOutputAndRestartsACrashingServiceReportingEachCrash() throws Exception {
        ManagedService service = service("echo \"$GREETING from $(pwd)\"; exit 3");

        service.start();
        await(() -> service.crashes() >= 3);
        service.stop(Duration.ofSeconds(5));

        assertThat(printed()).contains("demo       | hello from " + dir.toRealPath())
                .contains("procurator | demo exited with code 3 after 0s (crash 1); restarting in 0s")
                .contains("(crash 3)");
        assertThat(launches).isGreaterThanOrEqualTo(3);
        assertThat(service.tail(1)).containsExactly("hello from " + dir.toRealPath());
        int crashes = service.crashes();
        Thread.sleep(400);
        assertThat(service.crashes()).as("no restart after stop").isEqualTo(crashes);
    }

    @Test
    void stopEndsTheServiceAndTheProcessesItStarted() throws Exception {
        // The shell dies on SIGTERM at once; its background child would be orphaned if the tree were not tracked.
        ManagedService service = service("sleep 300 & echo child $!; wait");
        service.start();
        await(() -> printed().contains("child "));
        long child = Long.parseLong(printed().replaceAll("(?s).*child (\\d+).*", "$1"));
        Optional<ProcessHandle> handle = ProcessHandle.of(child);
        assertThat(handle).isPresent();

        assertThat(service.stop(Duration.ofSeconds(5))).isTrue();

        await(() -> !handle.get().isAlive());
        assertThat(service.running()).isFalse();
        assertThat(service.crashes()).isZero();
        assertThat(printed()).doesNotContain("exited with code");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
