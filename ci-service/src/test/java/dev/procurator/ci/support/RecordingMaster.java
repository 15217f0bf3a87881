package dev.procurator.ci.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.procurator.capnp.rpc.CallContext;
import dev.procurator.capnp.rpc.RpcAddress;
import dev.procurator.capnp.rpc.RpcServer;
import dev.procurator.schema.Common;
import dev.procurator.schema.MasterRpc.Master;
import dev.procurator.schema.blueprint.Blueprint;
import dev.procurator.schema.blueprint.BlueprintCapnp;
import dev.procurator.schema.client.MasterErrors;

/**
 * A control plane for tests: a real Cap'n Proto {@code Master} on an ephemeral port that answers {@code getLeader}
 * (it leads) and records every {@code publishState}, numbering generations as the control plane does. It can refuse
 * the next publication as {@code invalid}.
 */
public final class RecordingMaster extends Master.Server implements AutoCloseable {

    /** A generation as received. */
    public record Published(String repository, String branch, String gitCommit, Blueprint blueprint,
                            Map<String, String> closures, String pipelineUrl) {
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final AtomicLong generation = new AtomicLong();
    private final RpcServer server;
    private volatile String refuseWith;

    public RecordingMaster() throws Exception {
        this(0);
    }

    public RecordingMaster(int port) throws Exception {
        server = RpcServer.bind(RpcAddress.parse("127.0.0.1:" + port), this);
    }

    /** A control plane stand-in for the benchmark ({@code bench/bench.py}): serves on the given port until killed. */
    public static void main(String[] args) throws Exception {
        RecordingMaster master = new RecordingMaster(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        System.out.println("Master listening on " + master.address());
        Thread.currentThread().join();
    }

    public String address() {
        return "127.0.0.1:" + server.port();
    }

    public List<Published> published() {
        return new ArrayList<>(published);
    }

    /** The next publishState fails with {@code invalid: <message>}. */
    public void refuseNext(String message) {
        refuseWith = message;
    }

    @Override
    protected CompletionStage<?> getLeader(CallContext<Master.GetLeaderParams.Reader,
            Master.GetLeaderResults.Builder> call) {
        call.results().setIsLeader(true);
        call.results().setLeader("test-master");
        call.results().setRpcAddress(address());
        return null;
    }

    @Override
    protected CompletionStage<?> publishState(CallContext<Master.PublishStateParams.Reader,
            Master.PublishStateResults.Builder> call) {
        String refusal = refuseWith;
        if (refusal != null) {
            refuseWith = null;
            throw MasterErrors.invalid(refusal);
        }
        Common.Generation.Reader g = call.params().getGeneration();
        Map<String, String> closures = new TreeMap<>();
        for (Common.VmClosure.Reader closure : g.getClosures()) {
            closures.put(closure.getVm().toString(), closure.getStorePath().toString());
        }
        published.add(new Published(g.getRepository().toString(), g.getBranch().toString(),
                g.getGitCommit().toString(), BlueprintCapnp.read(g.getBlueprint()), closures,
                g.getPipelineUrl().toString()));
        call.results().setNumber(generation.incrementAndGet());
        call.results().setChanged(true);
        return null;
    }

    @Override
    public void close() {
        server.close();
    }
}
