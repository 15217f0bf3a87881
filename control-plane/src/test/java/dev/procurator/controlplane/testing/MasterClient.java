package dev.procurator.controlplane.testing;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.procurator.schema.Common;
import dev.procurator.schema.MasterRpc.Master;
import dev.procurator.schema.blueprint.Blueprint;
import dev.procurator.schema.blueprint.BlueprintCapnp;
import dev.procurator.schema.client.MasterEndpoints;

/** A CI- or CLI-like client of the Master over a real socket (one endpoint, no leader following). */
public final class MasterClient implements AutoCloseable {

    /** publishState's answer. */
    public record Published(long number, boolean changed) {
    }

    private final MasterEndpoints.Connection connection;

    public MasterClient(String address) throws IOException {
        this.connection = connectDirect(address);
    }

    private static MasterEndpoints.Connection connectDirect(String address) throws IOException {
        var client = dev.procurator.capnp.rpc.RpcClient.connect(dev.procurator.capnp.rpc.RpcAddress.parse(address));
        return new MasterEndpoints.Connection(address, client, client.bootstrap(Master.Client::new));
    }

    public Master.Client master() {
        return connection.master();
    }

    public Published publish(String repository, String branch, String commit, Map<String, Blueprint.Vm> vms,
                             Map<String, String> closures) throws Exception {
        Blueprint blueprint = new Blueprint(new TreeMap<>(vms));
        var result = master().publishState(p -> {
            Common.Generation.Builder g = p.initGeneration();
            g.setRepository(repository);
            g.setBranch(branch);
            g.setGitCommit(commit);
            g.setPipelineUrl("http://ci.test/pipelines/1");
            BlueprintCapnp.write(blueprint, g.initBlueprint(blueprint.vms().size()));
            var list = g.initClosures(closures.size());
            int i = 0;
            for (var closure : new TreeMap<>(closures).entrySet()) {
                list.get(i).setVm(closure.getKey());
                list.get(i).setStorePath(closure.getValue());
                i++;
            }
        }).get(30, TimeUnit.SECONDS);
        return new Published(result.getNumber(), result.getChanged());
    }

    @Override
    public void close() {
        connection.close();
    }
}
