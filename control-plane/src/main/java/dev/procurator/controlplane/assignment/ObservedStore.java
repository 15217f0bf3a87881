package dev.procurator.controlplane.assignment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.procurator.controlplane.rollout.Observed;
import dev.procurator.schema.Common;

/** What workers report about their replicas ({@code observed_vm}), replaced wholesale by each pushData. */
@Component
public class ObservedStore {

    /** One reported replica. */
    public record ObservedVm(String workerId, String vm, int replica, String source, long generation, String storePath,
                             Common.VmPhase phase, Common.Health health, String message, long sinceMillis,
                             String address, String rolledBackFrom, String checks, long reportedAt) {

        public Observed observed() {
            return new Observed(storePath, phase, health, rolledBackFrom, message);
        }
    }

    private final JdbcClient jdbc;

    ObservedStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void replace(String workerId, List<ObservedVm> vms) {
        jdbc.sql("delete from observed_vm where worker_id = :w").param("w", workerId).update();
        for (ObservedVm vm : vms) {
            jdbc.sql("""
                            insert into observed_vm (worker_id, vm, replica, source, generation, store_path, phase,
                                health, message, since_millis, address, rolled_back_from, checks, reported_at)
                            values (:w, :vm, :r, :source, :gen, :path, :phase, :health, :message, :since, :address,
                                :rbf, :checks, :at)""")
                    .param("w", workerId).param("vm", vm.vm()).param("r", vm.replica()).param("source", vm.source())
                    .param("gen", vm.generation()).param("path", vm.storePath()).param("phase", vm.phase().name())
                    .param("health", vm.health().name()).param("message", vm.message())
                    .param("since", vm.sinceMillis()).param("address", vm.address())
                    .param("rbf", vm.rolledBackFrom()).param("checks", vm.checks()).param("at", vm.reportedAt())
                    .update();
        }
    }

    public List<ObservedVm> all() {
        return jdbc.sql("select * from observed_vm order by vm, replica, worker_id").query((rs, row) -> new ObservedVm(
                rs.getString("worker_id"), rs.getString("vm"), rs.getInt("replica"), rs.getString("source"),
                rs.getLong("generation"), rs.getString("store_path"), Common.VmPhase.valueOf(rs.getString("phase")),
                Common.Health.valueOf(rs.getString("health")), rs.getString("message"), rs.getLong("since_millis"),
                rs.getString("address"), rs.getString("rolled_back_from"), rs.getString("checks"),
                rs.getLong("reported_at"))).list();
    }

    /** What each replica's own worker reports about the VM's replicas, by replica id. */
    public Map<Integer, Observed> ofVm(String vm, List<Replica> replicas) {
        Map<String, Integer> byKey = new HashMap<>();
        for (Replica replica : replicas) {
            if (replica.workerId() != null) {
                byKey.put(replica.workerId() + "/" + replica.replica(), replica.replica());
            }
        }
        Map<Integer, Observed> observed = new HashMap<>();
        jdbc.sql("select * from observed_vm where vm = :vm").param("vm", vm).query(rs -> {
            Integer replica = byKey.get(rs.getString("worker_id") + "/" + rs.getInt("replica"));
            if (replica != null) {
                observed.put(replica, new Observed(rs.getString("store_path"),
                        Common.VmPhase.valueOf(rs.getString("phase")), Common.Health.valueOf(rs.getString("health")),
                        rs.getString("rolled_back_from"), rs.getString("message")));
            }
        });
        return observed;
    }
}
