package dev.procurator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code procurator up} as a user runs it: the real CLI jar starting the real service jars, on free ports, in a fresh
 * data directory; every service healthy with its dashboard, and after SIGTERM no process and no port left behind.
 */
class UpIT {

    /** Module → dashboard title and port offset from the base port (DESIGN.md: 7410, 7420, ...). */
    private static final Map<String, Service> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("forge", new Service("Forge", 0));
        SERVICES.put("ci-service", new Service("CI", 10));
        SERVICES.put("cache-service", new Service("Binary cache", 20));
        SERVICES.put("control-plane", new Service("Control plane", 30));
        SERVICES.put("worker-agent", new Service("Worker agent", 40));
        SERVICES.put("secret-manager", new Service("Secrets", 50));
        SERVICES.put("observability", new Service("Observability", 60));
    }

    private static final int RPC_OFFSET = 31;
    private static final Duration ALL_HEALTHY_WITHIN = Duration.ofMinutes(3);
    private static final Duration STOPPED_WITHIN = Duration.ofMinutes(2);

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CountDownLatch allHealthy = new CountDownLatch(1);
    private Process up;

    @TempDir
    Path dataDir;

    record Service(String title, int offset) {
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void startsEveryServiceHealthyAndStopsWithoutLeftovers() throws Exception {
        Path cli = REPO.resolve("cli/target/cli.jar");
        assertThat(cli).as("the CLI jar (built by the reactor before this module)").isRegularFile();
        SERVICES.keySet().forEach(module ->
                assertThat(REPO.resolve(module + "/target/" + module + ".jar")).as(module + "'s jar").isRegularFile());
        int base = freeBasePort();

        up = new ProcessBuilder(java(), "-jar", cli.toString(), "up", "--data-dir", dataDir.toString(),
                "--base-port", Integer.toString(base))
                .redirectErrorStream(true)
                .start();
        Thread.ofVirtual().start(this::collectOutput);

        if (!allHealthy.await(ALL_HEALTHY_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            fail("procurator up did not report all services healthy within " + ALL_HEALTHY_WITHIN
                    + "; alive: " + up.isAlive() + "; last output:\n" + lastLines(60));
        }
        List<ProcessHandle> tree = up.descendants().toList();
        // Procfile style: each service's lines under its padded name; no colour codes, the output is not a terminal.
        SERVICES.keySet().forEach(module -> assertThat(output)
                .anyMatch(line -> line.startsWith(String.format("%-14s | ", module)) && line.contains("Started")));
        assertThat(output).noneMatch(line -> line.contains("\u001b["));
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
            assertThat(portFree(port)).as("port %d free after the stop", port).isTrue();
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

    /** A base port whose whole block is free: other engineers may run the platform on the standard ports. */
    private static int freeBasePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(2000, 6000) * 10;
            if (ports(base).stream().allMatch(UpIT::portFree)) {
                return base;
            }
        }
        throw new IllegalStateException("no free block of ports found");
    }

    private static List<Integer> ports(int base) {
        List<Integer> ports = new ArrayList<>();
        SERVICES.values().forEach(service -> ports.add(base + service.offset()));
        ports.add(base + RPC_OFFSET);
        return ports;
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
