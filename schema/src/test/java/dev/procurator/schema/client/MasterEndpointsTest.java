package dev.procurator.schema.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

import dev.procurator.capnp.rpc.CallContext;
import dev.procurator.capnp.rpc.RpcAddress;
import dev.procurator.capnp.rpc.RpcException;
import dev.procurator.capnp.rpc.RpcServer;
import dev.procurator.schema.MasterRpc.Master;

class MasterEndpointsTest {

    /** A control-plane instance that only knows who leads. */
    private static final class Instance extends Master.Server {
        volatile String leaderRpc = "";
        volatile boolean leading;

        @Override
        protected CompletionStage<?> getLeader(CallContext<Master.GetLeaderParams.Reader,
                Master.GetLeaderResults.Builder> call) {
            call.results().setIsLeader(leading);
            call.results().setRpcAddress(leaderRpc);
            call.results().setLeader(leading ? "me" : "other");
            return null;
        }
    }

    @Test
    void followsAFollowerToTheLeaderAndSkipsDeadEndpoints() throws Exception {
        Instance leader = new Instance();
        Instance follower = new Instance();
        try (RpcServer leaderServer = RpcServer.bind(RpcAddress.parse("127.0.0.1:0"), leader);
             RpcServer followerServer = RpcServer.bind(RpcAddress.parse("127.0.0.1:0"), follower)) {
            String leaderAddress = RpcAddress.format(leaderServer.localAddress());
            leader.leading = true;
            leader.leaderRpc = leaderAddress;
            follower.leaderRpc = leaderAddress;
            MasterEndpoints endpoints = MasterEndpoints.parse(
                    " 127.0.0.1:" + deadPort() + ", " + RpcAddress.format(followerServer.localAddress()));

            try (MasterEndpoints.Connection connection = endpoints.connectToLeader(null, null)) {
                assertEquals(leaderAddress, connection.address());
                assertTrue(connection.master().getLeader().get().getIsLeader());
            }

            follower.leaderRpc = "";
            IOException none = assertThrows(IOException.class,
                    () -> MasterEndpoints.parse(RpcAddress.format(followerServer.localAddress())).connectToLeader(null, null));
            assertTrue(none.getMessage().contains("a follower, no leader elected"), none.getMessage());
        }
    }

    @Test
    void badEndpointListsAreRefusedWithTheEntry() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> MasterEndpoints.parse(" , "));
        assertTrue(empty.getMessage().contains("no control-plane endpoint"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> MasterEndpoints.parse("a:7441,nonsense"));
        assertTrue(bad.getMessage().contains("'nonsense'"), bad.getMessage());
    }

    @Test
    void errorsCarryTheirCodeAndTheLeadersAddress() {
        RpcException notLeader = MasterErrors.notLeader("cp-2", "10.0.0.2:7441");
        assertEquals(MasterErrors.NOT_LEADER, MasterErrors.code(new java.util.concurrent.CompletionException(notLeader)));
        assertEquals(Optional.of("10.0.0.2:7441"), MasterErrors.leaderAddress(notLeader));
        assertEquals(Optional.empty(), MasterErrors.leaderAddress(MasterErrors.notLeader(null, null)));
        assertEquals("invalid", MasterErrors.code(MasterErrors.invalid("vms.web.cpu: must be positive")));
        assertEquals("vms.web.cpu: must be positive", MasterErrors.message(MasterErrors.invalid("vms.web.cpu: must be positive")));
        assertEquals("disconnected", MasterErrors.code(RpcException.disconnected("gone")));
    }

    @Test
    void backoffGrowsToItsCapWithJitter() {
        for (int attempt = 0; attempt < 30; attempt++) {
            long ceiling = Math.min(30_000, 500L << Math.min(attempt, 20));
            long wait = MasterEndpoints.backoff(attempt, Duration.ofMillis(500), Duration.ofSeconds(30)).toMillis();
            assertTrue(wait >= ceiling / 2 && wait <= ceiling, attempt + ": " + wait);
        }
    }

    private static int deadPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
