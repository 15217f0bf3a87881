package dev.procurator.controlplane.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.procurator.controlplane.ControlPlaneApplication;
import dev.procurator.controlplane.leader.Leadership;
import dev.procurator.controlplane.rpc.RpcEndpoint;

/**
 * One control-plane instance in this JVM, on an ephemeral HTTP and RPC port, with fast liveness and ticks; on the
 * embedded H2 of {@code dataDir} or on a PostgreSQL database. Closing it stops it as a shutdown would; a test may
 * start another on the same data to simulate a restart.
 */
public final class ControlPlaneInstance implements AutoCloseable {

    public static final String TOKEN = "test-admin-token";

    private final ConfigurableApplicationContext context;

    private ControlPlaneInstance(Map<String, Object> properties) {
        // as command-line arguments: above application.properties, as a deployment's environment would be
        this.context = new SpringApplicationBuilder(ControlPlaneApplication.class).run(properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    public static Map<String, Object> defaults(Path dataDir) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("procurator.data-dir", dataDir.toString());
        p.put("procurator.admin-token", TOKEN);
        p.put("server.port", "0");
        p.put("procurator.control-plane.rpc-port", "0");
        p.put("procurator.control-plane.heartbeat-interval", "100ms");
        p.put("procurator.control-plane.suspect-after", "1s");
        p.put("procurator.control-plane.down-after", "2s");
        p.put("procurator.control-plane.tick", "100ms");
        p.put("procurator.cache-url", "http://127.0.0.1:1");
        p.put("spring.lifecycle.timeout-per-shutdown-phase", "2s");
        return p;
    }

    public static ControlPlaneInstance start(Path dataDir) {
        return new ControlPlaneInstance(defaults(dataDir));
    }

    public static ControlPlaneInstance start(Map<String, Object> properties) {
        return new ControlPlaneInstance(properties);
    }

    /** A TCP port free right now, for instances that must keep their address across restarts. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String rpcAddress() {
        return "127.0.0.1:" + context.getBean(RpcEndpoint.class).port();
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    public boolean isLeader() {
        return context.getBean(Leadership.class).isLeader();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public boolean isRunning() {
        return context.isActive();
    }

    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
    }
}
