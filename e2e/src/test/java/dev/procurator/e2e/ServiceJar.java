package dev.procurator.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/** One service's real jar running as its own process on a free port, with its log in the data dir. */
public final class ServiceJar implements AutoCloseable {

    public static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private static final Map<String, String> OWN_URL_VARIABLE = Map.of(
            "forge", "PROCURATOR_FORGE_URL", "ci-service", "PROCURATOR_CI_URL", "cache-service", "PROCURATOR_CACHE_URL",
            "control-plane", "PROCURATOR_CONTROL_PLANE_URL", "worker-agent", "PROCURATOR_WORKER_AGENT_URL",
            "secret-manager", "PROCURATOR_SECRETS_URL", "observability", "PROCURATOR_OBSERVABILITY_URL");

    private final Process process;
    private final Path log;
    public final String url;

    private ServiceJar(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    public static ServiceJar start(String module, Path dataDir, Map<String, String> env) throws IOException {
        return start(module, dataDir, env, freePort());
    }

    /** Starts the jar on {@code port}: a restart keeps the port its peers know. Its log is appended to. */
    public static ServiceJar start(String module, Path dataDir, Map<String, String> env, int port) throws IOException {
        Path log = Files.createDirectories(dataDir).resolve("service.log");
        // C1 only and one GC thread: several services start at once on two shared cores.
        ProcessBuilder builder = new ProcessBuilder(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                REPO.resolve(module + "/target/" + module + ".jar").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("PROCURATOR_DATA_DIR", dataDir.toString());
        // The service names itself in what it returns (clone URLs, cache URLs): tell it where it really is.
        builder.environment().put(OWN_URL_VARIABLE.get(module), "http://127.0.0.1:" + port);
        Process process = builder.start();
        // A test JVM that ends without closing it (a failed start, a killed run) must not leave it running.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new ServiceJar(process, log, "http://127.0.0.1:" + port);
    }

    /** Waits until the service reports UP, or fails with the end of its log. */
    public ServiceJar awaitHealthy(Duration within) throws Exception {
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

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int port() {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    /** SIGKILL: the process gets no chance to flush or clean up, as in a crash or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public String logTail() throws IOException {
        String text = logText();
        return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
    }

    /** Everything the service printed, over all its starts on this data dir. */
    public String logText() throws IOException {
        return Files.readString(log);
    }

    /** Stops the service gracefully (SIGTERM), then forcibly if it takes longer than 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    public static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A base port for {@code procurator up --base-port} whose whole block (forge .. observability and the RPC port,
     * base + 0..60) is free. It is chosen below Linux's ephemeral range (32768-60999), where any outgoing connection
     * could take a port between this check and a service's bind.
     */
    public static int freeBasePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(2000, 3270) * 10;
            if (IntStream.rangeClosed(0, 60).allMatch(offset -> portFree(base + offset))) {
                return base;
            }
        }
        throw new IllegalStateException("no free block of ports found");
    }

    public static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
