package dev.procurator.controlplane.rpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.procurator.capnp.rpc.RpcServer;
import dev.procurator.controlplane.config.ControlPlaneProperties;

/**
 * The Cap'n Proto listener: serves the {@link MasterServer} on {@code procurator.control-plane.rpc-port}
 * ({@code PROCURATOR_RPC_PORT}, 7441; 0 = ephemeral) while the Spring context runs. Starts before the leader
 * election (whose advertised address names its port) and stops after it.
 */
@Component
public class RpcEndpoint implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RpcEndpoint.class);

    private final ObjectProvider<MasterServer> master;
    private final ControlPlaneProperties properties;
    private volatile RpcServer server;

    RpcEndpoint(ObjectProvider<MasterServer> master, ControlPlaneProperties properties) {
        this.master = master;
        this.properties = properties;
    }

    /** The bound port (the configured one until started). */
    public int port() {
        RpcServer running = server;
        return running == null ? properties.rpcPort() : running.port();
    }

    @Override
    public void start() {
        try {
            server = RpcServer.bind(new InetSocketAddress(properties.rpcPort()), master.getObject());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on Cap'n Proto port " + properties.rpcPort(), e);
        }
        log.info("Master (Cap'n Proto) listening on port {}", server.port());
    }

    @Override
    public void stop() {
        RpcServer running = server;
        if (running != null) {
            running.close();
        }
        server = null;
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 3000;
    }
}
