package dev.procurator.schema.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procurator.capnp.rpc.RemotePromise;
import dev.procurator.capnp.rpc.RpcAddress;
import dev.procurator.capnp.rpc.RpcClient;
import dev.procurator.capnp.rpc.RpcException;
import dev.procurator.capnp.rpc.RpcServer;
import dev.procurator.schema.Common;
import dev.procurator.schema.MasterRpc.Master;
import dev.procurator.common.testing.RequiresTool;
import dev.procurator.schema.WorkerRpc.Worker;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java runtime against the C++ reference implementation (EzRpcServer / EzRpcClient from
 * libcapnp-dev) over TCP and unix sockets, with the real Master and Worker schemas.
 */
@RequiresTool({"capnp", "g++", "pkg-config"})
class CppInteropIT {
    @TempDir
    Path tmp;

    private SocketAddress listenAddress(String transport) {
        return transport.equals("unix") ? UnixDomainSocketAddress.of(tmp.resolve("master.sock"))
                : new InetSocketAddress("127.0.0.1", 0);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void cppClientCallsEveryMethodOfTheJavaMaster(String transport) throws Exception {
        InteropMaster master = new InteropMaster();
        try (RpcServer server = RpcServer.bind(listenAddress(transport), master);
             CppPeer.Running client = new CppPeer.Running("client", RpcAddress.format(server.localAddress()))) {
            String output = client.finish(60);
            assertFalse(output.lines().anyMatch(l -> l.startsWith("FAIL")), output);
            assertTrue(output.contains("OK worker called back (notify, stopVm, collectLogs)"), output);
            assertTrue(output.contains("OK getClusterStatus leader=java"), output);
            assertTrue(output.contains("OK drainWorker") && output.contains("OK getLeader leader=java"), output);
            assertTrue(output.endsWith("DONE\n"), output);
            assertEquals(0, client.process.exitValue(), output);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void javaClientCallsEveryMethodOfTheCppMaster(String transport) throws Exception {
        String address = transport.equals("unix") ? "unix:" + tmp.resolve("cpp.sock") : "127.0.0.1:0";
        try (CppPeer.Running cpp = new CppPeer.Running("serve", address)) {
            String ready = cpp.readLine();
            assertTrue(ready != null && ready.startsWith("listening "), String.valueOf(ready));
            String connectTo = transport.equals("unix") ? address : "127.0.0.1:" + ready.substring("listening ".length());
            try (RpcClient client = RpcClient.connect(RpcAddress.parse(connectTo))) {
                runScenario(client.bootstrap(Master.Client::new));
            }
        }
    }

    /** The Java twin of runClient() in peer.c++. */
    private static void runScenario(Master.Client master) throws Exception {
        InteropWorker worker = new InteropWorker();
        Worker.Client workerCap = new Worker.Client(worker);
        var registered = await(master.registerWorker(p -> {
            Common.WorkerInfo.Builder info = p.initInfo();
            info.setHostname("h1");
            var labels = info.initLabels(2);
            labels.set(0, new org.capnproto.Text.Reader("a"));
            labels.set(1, new org.capnproto.Text.Reader("b"));
            info.initCapacity().setCpu(4);
            p.setWorker(workerCap);
        }));
        assertEquals("h1:log-web-0:stopped", registered.getWorkerId().toString());
        assertEquals(1002, registered.getHeartbeatIntervalMillis());
        assertEquals(42, worker.notified.get(), "the C++ master called our worker back");
        assertEquals(1, worker.stops.get());

        // pipelined: ten calls in flight at once
        List<CompletableFuture<Master.HeartbeatResults.Reader>> beats = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int running = i == 9 ? 2 : 3;
            beats.add(master.heartbeat(p -> {
                p.setWorkerId("h1");
                p.initMetrics().setRunningVms(running);
            }));
        }
        int known = 0;
        for (var beat : beats) {
            known += await(beat).getKnown() ? 1 : 0;
        }
        assertEquals(9, known);

        var assignment = await(master.getAssignment(p -> {
            p.setWorkerId("h1");
            p.setKnownRevision(1);
            p.setTimeoutMillis(50);
        }));
        assertTrue(assignment.getChanged());
        Common.Assignment.Reader a = assignment.getAssignment();
        assertEquals(5, a.getRevision());
        assertEquals("h1", a.getWorkerId().toString());
        Common.VmSpec.Reader spec = a.getVms().get(0).getSpec();
        assertEquals(1.5, spec.getCpu());
        assertEquals(Common.MemoryUnit.GB, spec.getMemory().getUnit());
        assertEquals(8080, spec.getDeployment().getHealthChecks().get(0).getHttp().getPort());
        assertEquals(22, spec.getDeployment().getSshPort(), "schema default");

        await(master.pushData(p -> {
            p.setWorkerId("h1");
            p.initVms(1).get(0).setPhase(Common.VmPhase.RUNNING);
            p.initHealth(1).get(0).setHealthy(true);
            p.initMetrics().setCpuUsed(0.5);
        }));
        for (RpcException.Type type : RpcException.Type.values()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(master.pushData(
                    p -> p.setWorkerId(type.name().toLowerCase()))));
            assertEquals(type, RpcException.of(e).type(), RpcException.of(e).getMessage());
        }

        var published = await(master.publishState(p -> {
            Common.Generation.Builder g = p.initGeneration();
            g.setGitCommit("abc123");
            g.initBlueprint(2).get(1).setName("db");
            var closures = g.initClosures(2);
            closures.get(0).setVm("web");
            closures.get(0).setStorePath("/nix/store/abc-web");
        }));
        assertEquals(202, published.getNumber());
        assertTrue(published.getChanged());

        Common.ClusterStatus.Reader status = await(master.getClusterStatus()).getStatus();
        assertEquals(5, status.getGeneration());
        assertEquals("abc123", status.getGitCommit().toString());
        assertEquals("h1", status.getWorkers().get(0).getInfo().getHostname().toString());

        RemotePromise<Master.PromoteResults.Reader, ?> promoted = master.promote(p -> p.setVm("web"));
        var rolled = master.rollback(p -> {
            p.setVm("web");
            p.setToGeneration(3);
        });
        var paused = master.pause(p -> p.setVm("web"));
        var resumed = master.resume(p -> p.setVm("web"));
        assertEquals(Common.RolloutState.IN_PROGRESS, await(promoted).getRollout().getState());
        assertEquals(Common.RolloutState.ROLLED_BACK, await(rolled).getRollout().getState());
        assertEquals(3, await(rolled).getRollout().getGeneration());
        assertEquals(Common.RolloutState.PAUSED, await(paused).getRollout().getState());
        assertEquals("web", await(resumed).getRollout().getVm().toString());

        Common.WorkerStatus.Reader drained = await(master.drainWorker(p -> {
            p.setWorkerId("h1");
            p.setDrain(true);
        })).getWorker();
        assertEquals(Common.WorkerState.DRAINING, drained.getState());
        assertEquals("h1", drained.getInfo().getWorkerId().toString());
        var leader = await(master.getLeader());
        assertTrue(leader.getIsLeader());
        assertEquals("127.0.0.1:7441", leader.getRpcAddress().toString());
        assertEquals("reference", leader.getLeader().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void cppServerKilledMidCallFailsThePendingCallWithDisconnected(String transport) throws Exception {
        String address = transport.equals("unix") ? "unix:" + tmp.resolve("cpp.sock") : "127.0.0.1:0";
        try (CppPeer.Running cpp = new CppPeer.Running("serve", address)) {
            String ready = cpp.readLine();
            String connectTo = transport.equals("unix") ? address : "127.0.0.1:" + ready.substring("listening ".length());
            try (RpcClient client = RpcClient.connect(RpcAddress.parse(connectTo))) {
                Master.Client master = client.bootstrap(Master.Client::new);
                await(master.getClusterStatus()); // connected and answering
                var pending = master.getAssignment(p -> p.setTimeoutMillis(60000));
                Thread.sleep(100);
                cpp.process.destroyForcibly();
                ExecutionException e = assertThrows(ExecutionException.class, () -> await(pending));
                assertEquals(RpcException.Type.DISCONNECTED, RpcException.of(e).type());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void cppClientKilledMidCallFreesItsConnectionAndCapabilities(String transport) throws Exception {
        InteropMaster master = new InteropMaster();
        try (RpcServer server = RpcServer.bind(listenAddress(transport), master);
             CppPeer.Running client = new CppPeer.Running("hang", RpcAddress.format(server.localAddress()))) {
            assertEquals("WAITING", client.readLine());
            master.longPollStarted.get(10, TimeUnit.SECONDS);
            assertEquals(1, server.connections().size());
            client.process.destroyForcibly();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!server.connections().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(server.connections().isEmpty(), "the dead client's connection is dropped");
            // the Worker capability the dead client handed us now fails cleanly
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> await(master.lastWorker.notify(p -> p.setRevision(1))));
            assertEquals(RpcException.Type.DISCONNECTED, RpcException.of(e).type());
        }
    }
}
