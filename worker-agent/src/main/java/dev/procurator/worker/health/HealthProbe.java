package dev.procurator.worker.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.procurator.common.process.Command;
import dev.procurator.common.process.ProcessException;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.process.ProcessRunner;
import dev.procurator.schema.blueprint.Blueprint;

/**
 * Runs one attempt of a health check against a VM: HTTP (status, optionally a text the body must contain), TCP
 * connect, or an exec command on the host whose exit status decides (it gets {@code PROCURATOR_VM},
 * {@code PROCURATOR_VM_ADDRESS} and {@code PROCURATOR_VM_PORT_<guest>=<host port>} to find the VM).
 */
public final class HealthProbe {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ProcessRunner runner;

    public HealthProbe(ProcessRunner runner) {
        this.runner = runner;
    }

    /** Where the checks reach the VM: an address and the host port of each guest port. */
    public record Target(String vm, int replica, String address, Map<Integer, Integer> ports) {

        int port(int guest) {
            return ports.getOrDefault(guest, guest);
        }
    }

    public record Outcome(boolean healthy, String message, long latencyMillis) {
    }

    public Outcome run(Blueprint.HealthCheck check, Target target) {
        long start = System.nanoTime();
        Duration timeout = Duration.ofSeconds(Math.max(1, check.timeout()));
        String failure;
        try {
            failure = switch (check.type()) {
                case "http" -> http(check, target, timeout);
                case "tcp" -> tcp(check, target, timeout);
                default -> exec(check, target, timeout);
            };
        } catch (IOException e) {
            failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        long latency = (System.nanoTime() - start) / 1_000_000;
        return new Outcome(failure == null, failure == null ? "ok" : failure, latency);
    }

    private String http(Blueprint.HealthCheck check, Target target, Duration timeout)
            throws IOException, InterruptedException {
        URI uri = URI.create("http://" + target.address() + ":" + target.port(check.port()) + check.path());
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
        int expected = check.expectedStatus() == null ? 200 : check.expectedStatus();
        if (response.statusCode() != expected) {
            return "HTTP " + response.statusCode() + " (expected " + expected + ")";
        }
        if (check.body() != null && !check.body().isEmpty() && !response.body().contains(check.body())) {
            return "HTTP " + response.statusCode() + " without '" + check.body() + "' in the body";
        }
        return null;
    }

    private static String tcp(Blueprint.HealthCheck check, Target target, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.address(), target.port(check.port())), (int) timeout.toMillis());
            return null;
        }
    }

    private String exec(Blueprint.HealthCheck check, Target target, Duration timeout) {
        Command command = Command.of("sh", "-c", check.command()).timeout(timeout)
                .withEnv("PROCURATOR_VM", target.vm())
                .withEnv("PROCURATOR_VM_REPLICA", Integer.toString(target.replica()))
                .withEnv("PROCURATOR_VM_ADDRESS", target.address());
        for (Map.Entry<Integer, Integer> port : target.ports().entrySet()) {
            command = command.withEnv("PROCURATOR_VM_PORT_" + port.getKey(), Integer.toString(port.getValue()));
        }
        try {
            ProcessResult result = runner.run(command);
            if (result.succeeded()) {
                return null;
            }
            String tail = result.stderr().strip();
            tail = tail.length() > 200 ? "..." + tail.substring(tail.length() - 200) : tail;
            return "exit " + result.exitCode() + (tail.isEmpty() ? "" : ": " + tail);
        } catch (ProcessException e) {
            return e.getMessage();
        }
    }
}
