package dev.procurator.schema.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.procurator.capnp.rpc.RpcAddress;
import dev.procurator.capnp.rpc.RpcClient;
import dev.procurator.capnp.rpc.RpcOptions;
import dev.procurator.capnp.rpc.Server;
import dev.procurator.schema.MasterRpc.Master;

/**
 * The control plane's Cap'n Proto endpoints as a client configures them ({@code PROCURATOR_CONTROL_PLANE_RPC}, a
 * comma-separated list of {@code host:port} for a highly available control plane), and the way every client finds the
 * leader among them: connect to each in turn, ask {@code getLeader}, follow the leader's address when the instance
 * answering is a follower. Worker agents and the CI service share this, so failover behaves the same everywhere.
 */
public final class MasterEndpoints {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final List<String> addresses;

    private MasterEndpoints(List<String> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    /**
     * @param list {@code host:port[,host:port...]}
     * @throws IllegalArgumentException naming the malformed entry
     */
    public static MasterEndpoints parse(String list) {
        List<String> addresses = new ArrayList<>();
        for (String entry : (list == null ? "" : list).split(",")) {
            String address = entry.trim();
            if (address.isEmpty()) {
                continue;
            }
            try {
                RpcAddress.parse(address);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad control-plane endpoint '" + address
                        + "': expected host:port or unix:/path", e);
            }
            addresses.add(address);
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no control-plane endpoint given (expected host:port[,host:port...])");
        }
        return new MasterEndpoints(addresses);
    }

    public List<String> addresses() {
        return addresses;
    }

    /**
     * Connects to the leader: the endpoints in order (starting with {@code preferred}, e.g. the last leader seen),
     * each asked {@code getLeader}; a follower's answer sends us to the leader it names.
     *
     * @param preferred an address to try first, or null
     * @param callback  served to the master on the connection (a worker's own capability), or null
     * @throws IOException when no endpoint leads or points to a leader that answers, listing each endpoint's reason
     */
    public Connection connectToLeader(String preferred, Server callback) throws IOException {
        Set<String> candidates = new LinkedHashSet<>();
        if (preferred != null && !preferred.isBlank()) {
            candidates.add(preferred);
        }
        candidates.addAll(addresses);
        List<String> reasons = new ArrayList<>();
        Set<String> tried = new LinkedHashSet<>();
        for (String candidate : candidates) {
            String address = candidate;
            // One hop: a follower names the leader; the leader itself must then say it leads.
            for (int hop = 0; hop < 2 && address != null && tried.add(address); hop++) {
                Connection connection;
                try {
                    connection = Connection.open(address, callback);
                } catch (IOException | RuntimeException e) {
                    reasons.add(address + ": " + e.getMessage());
                    break;
                }
                String leaderRpc;
                try {
                    var leader = connection.master().getLeader().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    if (leader.getIsLeader()) {
                        return connection;
                    }
                    leaderRpc = leader.getRpcAddress().toString();
                } catch (Exception e) {
                    connection.close();
                    reasons.add(address + ": " + MasterErrors.message(e));
                    break;
                }
                connection.close();
                reasons.add(address + ": a follower, " + (leaderRpc.isEmpty() ? "no leader elected" : "leader at " + leaderRpc));
                address = leaderRpc.isEmpty() ? null : leaderRpc;
            }
        }
        throw new IOException("no control-plane leader reachable: " + String.join("; ", reasons));
    }

    /**
     * The wait before reconnection attempt {@code attempt} (0-based): exponential from {@code initial}, capped at
     * {@code max}, with full jitter over its upper half so a fleet of workers does not reconnect in step.
     */
    public static Duration backoff(int attempt, Duration initial, Duration max) {
        long ceiling = Math.min(max.toMillis(), initial.toMillis() << Math.min(attempt, 20));
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    /** One open connection to a control-plane instance and its {@code Master} capability. */
    public record Connection(String address, RpcClient client, Master.Client master) implements AutoCloseable {

        static Connection open(String address, Server callback) throws IOException {
            RpcClient client = RpcClient.connect(RpcAddress.parse(address), RpcOptions.DEFAULT, callback);
            return new Connection(address, client, client.bootstrap(Master.Client::new));
        }

        @Override
        public void close() {
            master.close();
            client.close();
        }
    }
}
