package dev.procurator.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (sh), so restarts, process-tree stops and the log file are tested as they happen. */
class ManagedServiceTest {

    @TempDir
    Path dir;

    private final ExecutorService tasks = Supervisor.newTaskExecutor();

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final Output output = new Output(new PrintStream(printed, true, StandardCharsets.UTF_8),
            new LogPrefixer(List.of("demo"), false));
    private int launches;
    private final ServiceSpec spec = new ServiceSpec("demo", 0, "DEMO_URL", List.of());

    private ServiceOutput serviceOutput;

    private ManagedService service(String script) throws IOException {
        Backoff quick = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMinutes(1));
        serviceOutput = new ServiceOutput("demo", dir.resolve("logs"), output, false);
        return new ManagedService(spec, new ManagedService.Launch(List.of("sh", "-c", script),
                Map.of("GREETING", "hello"), dir), serviceOutput, quick, pid -> launches++, tasks);
    }

    @AfterEach
    void endTasks() {
        tasks.shutdownNow();
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
                .contains("procurator | demo exited with code 3 after 0s (crash 1); restarting in 0s; log: "
                        + dir.resolve("logs/demo.log"))
                .contains("(crash 3)");
        assertThat(launches).isGreaterThanOrEqualTo(3);
        assertThat(serviceOutput.tail(1)).containsExactly("hello from " + dir.toRealPath());
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

    @Test
    void keepsEveryLineInTheLogFileAndShowsOnlyWarningsAndErrors() throws Exception {
        ManagedService service = service("""
                echo '10:00:00.001  INFO [main] d.p.Demo : Starting Demo'
                echo '10:00:00.002  WARN [main] d.p.Demo : disk almost full'
                echo '10:00:00.003  INFO [main] d.p.Demo : Started Demo'
                echo '10:00:00.004 ERROR [main] d.p.Demo : cannot bind'
                echo 'java.net.BindException: Address already in use'
                echo '10:00:00.005  INFO [main] d.p.Demo : Stopping'
                sleep 300""");
        service.start();
        await(() -> printed().contains("BindException"));
        service.stop(Duration.ofSeconds(5));
        serviceOutput.close();

        assertThat(printed()).contains("disk almost full", "cannot bind", "demo       | java.net.BindException")
                .doesNotContain("Starting Demo", "Started Demo", "Stopping");
        List<String> file = Files.readAllLines(dir.resolve("logs/demo.log"));
        assertThat(file.getFirst()).startsWith("----- procurator up: demo started at ").contains(", pid ");
        assertThat(file.subList(1, file.size())).hasSize(6).anyMatch(line -> line.endsWith("Starting Demo"))
                .anyMatch(line -> line.endsWith("Stopping"));
    }

    @Test
    void theLogOfThePreviousRunIsKeptBesideTheNewOne() throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("logs/demo.log"), "the previous run\n");

        service("true").output().close();

        assertThat(dir.resolve("logs/demo.log.1")).hasContent("the previous run");
        assertThat(dir.resolve("logs/demo.log")).isEmptyFile();
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
