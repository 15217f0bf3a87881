package dev.procurator.controlplane.leader;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.procurator.controlplane.config.ControlPlaneProperties;
import dev.procurator.controlplane.event.EventLog;
import dev.procurator.controlplane.rpc.RpcEndpoint;

/**
 * This instance's candidacy (Spring Integration's {@link Candidate}, elected by the {@code LockRegistryLeaderInitiator}
 * of {@link LeaderConfiguration}). When granted it advertises its RPC and HTTP addresses in the {@code leader} table
 * (followers redirect callers there) and tells the {@link LeaderListener}s to load the state; when revoked they drop
 * what only a leader holds.
 */
@Component
public class Leadership implements Candidate {

    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    private final String id = UUID.randomUUID().toString();
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final EventLog events;
    private final RpcEndpoint rpc;
    private final ControlPlaneProperties properties;
    private final Environment environment;
    private final List<LeaderListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean leader;

    Leadership(JdbcClient jdbc, TransactionTemplate tx, EventLog events, RpcEndpoint rpc,
               ControlPlaneProperties properties, Environment environment) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.rpc = rpc;
        this.properties = properties;
        this.environment = environment;
    }

    /** Told when this instance starts or stops leading. */
    public interface LeaderListener {
        void leading();

        void following();
    }

    public void listen(LeaderListener listener) {
        listeners.add(listener);
    }

    public boolean isLeader() {
        return leader;
    }

    public String instanceId() {
        return id;
    }

    /** @throws NotLeaderException unless this instance leads */
    public void requireLeader() {
        if (!leader) {
            throw new NotLeaderException(current());
        }
    }

    /** The leader as advertised, or null when none ever led. */
    public LeaderInfo current() {
        return jdbc.sql("select instance, rpc_address, http_url, since from leader where id = 1")
                .query((rs, row) -> new LeaderInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
                .optional().orElse(null);
    }

    public String rpcAddress() {
        String advertised = properties.advertisedRpc();
        return advertised == null || advertised.isBlank() ? "localhost:" + rpc.port() : advertised;
    }

    public String httpUrl() {
        return "http://localhost:" + environment.getProperty("local.server.port",
                environment.getProperty("server.port", "7440"));
    }

    @Override
    public String getRole() {
        return "control-plane";
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public void onGranted(Context context) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("delete from leader where id = 1").update();
            jdbc.sql("insert into leader (id, instance, rpc_address, http_url, since) values (1, :i, :rpc, :http, :t)")
                    .param("i", id).param("rpc", rpcAddress()).param("http", httpUrl())
                    .param("t", System.currentTimeMillis()).update();
            events.record(EventLog.LEADER, null, null, null, null, null,
                    "instance " + id + " leads (rpc " + rpcAddress() + ")");
        });
        listeners.forEach(LeaderListener::leading);
        leader = true;
        log.info("This instance ({}) is the leader, rpc {}", id, rpcAddress());
        events.committed();
    }

    @Override
    public void onRevoked(Context context) {
        leader = false;
        log.info("This instance ({}) no longer leads", id);
        listeners.forEach(LeaderListener::following);
    }
}
