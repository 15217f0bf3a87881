package dev.procurator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.config.ServicePorts;

/**
 * {@code procurator up} as a user runs it: the real CLI jar starting the real service jars, on free ports, in a fresh
 * data directory; a short, readable report on the terminal and each service's whole output in its log file; every
 * service healthy with its dashboard, and after SIGTERM no process and no port left behind.
 */
class UpIT {

    /** Module → dashboard title and port offset from the base port (the distance of its default port from the forge's). */
    private static final Map<String, Service> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("forge", new Service("Forge", ServicePorts.FORGE));
        SERVICES.put("ci-service", new Service("CI", ServicePorts.CI));
        SERVICES.put("cache-service", new Service("Binary cache", ServicePorts.CACHE));
        SERVICES.put("control-plane", new Service("Control plane", ServicePorts.CONTROL_PLANE));
        SERVICES.put("worker-agent", new Service("Worker agent", ServicePorts.WORKER_AGENT));
        SERVICES.put("secret-manager", new Service("Secrets", ServicePorts.SECRETS));
        SERVICES.put("observability", new Service("Observability", ServicePorts.OBSERVABILITY));
    }

    private static final int RPC_OFFSET = ServicePorts.CONTROL_PLANE_RPC - ServicePorts.FORGE.port();
    /** A service's log line at INFO or DEBUG on the terminal, where only warnings and errors belong. */
    private static final Pattern CHATTER = Pattern.compile("^[a-z-]+ +\\| \\d{2}:\\d{2}:\\d{2}\\.\\d{3} +(INFO|DEBUG|TRACE) ");
    /** Seven JVMs on a shared two-core machine: a start is slow, never a failure of this test while it progresses. */
    private static final Duration ALL_HEALTHY_WITHIN = Duration.ofMinutes(7);
    private static final Duration STOPPED_WITHIN = Duration.ofMinutes(2);

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CountDownLatch allHealthy = new CountDownLatch(1);
    private Process up;

    @TempDir
    Path dataDir;

    record Service(String title, int offset) {
        Service(String title, ServicePorts ports) {
            this(title, ports.port() - ServicePorts.FORGE.port());
        }
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void startsEveryServiceHealthyAndStopsWithoutLeftovers() throws Exception {
        Path cli = REPO.resolve("cli/target/cli.jar");
        assertThat(cli).as("the CLI jar (built by the reactor before this module)").isRegularFile();
        SERVICES.keySet().forEach(module ->
                assertThat(REPO.resolve(module + "/target/" + module + ".jar")).as(module + "'s jar").isRegularFile());
        int base = ServiceJar.freeBasePort();

        up = new ProcessBuilder(java(), "-jar", cli.toString(), "up", "--data-dir", dataDir.toString(),
                "--base-port", Integer.toString(base), "--timeout", Long.toString(ALL_HEALTHY_WITHIN.toSeconds() - 10))
                .redirectErrorStream(true)
                .start();
        Thread.ofVirtual().start(this::collectOutput);

        long deadline = System.nanoTime() + ALL_HEALTHY_WITHIN.toNanos();
        while (!allHealthy.await(1, TimeUnit.SECONDS)) {
            if (!up.isAlive() || System.nanoTime() > deadline) {
                fail("procurator up did not report all services healthy within " + ALL_HEALTHY_WITHIN
                        + "; alive: " + up.isAlive() + "; last output:\n" + lastLines(60));
            }
        }
        List<ProcessHandle> tree = up.descendants().toList();
        // Readable: procurator's progress and the services' warnings and errors only, no framework chatter (a clean
        // start printed some 330 lines before), no colour codes (the output is not a terminal).
        List<String> report = List.copyOf(output);
        assertThat(report).as("what procurator up printed until all were healthy").hasSizeLessThan(50)
                .noneMatch(line -> CHATTER.matcher(line).find())
                .noneMatch(line -> line.contains("\u001b["))
                .anyMatch(line -> line.startsWith("procurator     | starting forge on port " + base));
        // The whole output of each service is in its log file.
        for (String module : SERVICES.keySet()) {
            Path log = dataDir.resolve("logs").resolve(module + ".log");
            assertThat(log).as(module + "'s log").exists();
            assertThat(Files.readString(log)).as(module + "'s log").contains("Started").contains(" INFO ");
        }
        assertThat(tree).as("one process per service at least").hasSizeGreaterThanOrEqualTo(SERVICES.size());

        String token = Files.readString(dataDir.resolve("admin-token")).strip();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("admin-token"))))
                .isEqualTo("rw-------");
        for (Map.Entry<String, Service> entry : SERVICES.entrySet()) {
            String module = entry.getKey();
            String url = "http://127.0.0.1:" + (base + entry.getValue().offset());

            HttpResponse<String> health = get(url + "/actuator/health", null);
            assertThat(health.statusCode()).as(module + " health").isEqualTo(200);
            assertThat(health.body().replace(" ", "")).as(module + " health").contains("\"status\":\"UP\"");

            HttpResponse<String> dashboard = get(url + "/", null);
            assertThat(dashboard.statusCode()).as(module + " dashboard").isEqualTo(200);
            assertThat(dashboard.body()).as(module + " dashboard").contains("<title>" + entry.getValue().title() + "</title>");

            // Every service accepts the one admin token procurator up handed out, and only that one.
            assertThat(get(url + "/api/v1/e2e-probe", token).statusCode()).as(module + " with the admin token")
                    .isNotEqualTo(401);
            assertThat(get(url + "/api/v1/e2e-probe", "pcr_wrong").statusCode()).as(module + " with a wrong token")
                    .isEqualTo(401);
            assertThat(Files.isDirectory(dataDir.resolve(module))).as(module + "'s data directory").isTrue();
        }

        // SIGTERM, as systemd or a closing terminal sends it; through the handle, which (unlike Process.destroy)
        // leaves the output pipe open so the shutdown report can be read.
        assertThat(up.toHandle().destroy()).isTrue();
        assertThat(up.waitFor(STOPPED_WITHIN.toSeconds(), TimeUnit.SECONDS))
                .as("procurator up exits after SIGTERM; last output:\n%s", lastLines(30)).isTrue();
        awaitGone(tree);
        assertThat(tree.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList())
                .as("processes left behind").isEmpty();
        assertThat(output).anyMatch(line -> line.contains("all services stopped"));
        for (int port : ports(base)) {
            assertThat(ServiceJar.portFree(port)).as("port %d free after the stop", port).isTrue();
        }
    }

    @AfterEach
    void killWhatIsLeft() {
        if (up != null && up.isAlive()) {
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
    }

    private void collectOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                if (line.startsWith("procurator") && line.contains("services healthy in")) {
                    System.out.println("[UpIT] " + line);
                    allHealthy.countDown();
                }
            }
        } catch (IOException e) {
            output.add("[UpIT] output closed: " + e);
        }
    }

    private String lastLines(int count) {
        List<String> lines = new ArrayList<>(output);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitGone(List<ProcessHandle> processes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static List<Integer> ports(int base) {
        List<Integer> ports = new ArrayList<>();
        SERVICES.values().forEach(service -> ports.add(base + service.offset()));
        ports.add(base + RPC_OFFSET);
        return ports;
    }
}
