package dev.procurator.e2e.durability;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service's real jar as its own process for the worker crash tests, which need what the shared launcher does not
 * offer: the process to SIGKILL, and the same data dir started again on a new port.
 */
final class WorkerJar implements AutoCloseable {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private final Process process;
    private final Path log;
    final String url;

    private WorkerJar(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    static WorkerJar start(String module, Path dataDir, Map<String, String> env) throws IOException {
        int port = freePort();
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("service-" + port + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-jar",
                REPO.resolve(module + "/target/" + module + ".jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("PROCURATOR_DATA_DIR", dataDir.toString());
        // The service names itself in what it announces (the agent's apiUrl, the cache's URLs).
        builder.environment().put(module.equals("worker-agent") ? "PROCURATOR_WORKER_AGENT_URL" : "PROCURATOR_CACHE_URL",
                "http://127.0.0.1:" + port);
        return new WorkerJar(builder.start(), log, "http://127.0.0.1:" + port);
    }

    WorkerJar awaitHealthy(Duration within) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(url + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/health"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError(url + " not healthy within " + within + ":\n" + logTail());
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing the process could still do. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String logTail() throws IOException {
        String text = Files.readString(log);
        return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
