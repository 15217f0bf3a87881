package dev.procurator.controlplane.assignment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.procurator.controlplane.config.StateJson;
import dev.procurator.schema.blueprint.Blueprint;

/**
 * The {@code replica} table. Every change that alters a worker's assignment marks that worker in {@link Revisions},
 * so its revision rises in the same transaction.
 */
@Component
public class ReplicaStore {

    private final JdbcClient jdbc;
    private final StateJson json;
    private final Revisions revisions;

    ReplicaStore(JdbcClient jdbc, StateJson json, Revisions revisions) {
        this.jdbc = jdbc;
        this.json = json;
        this.revisions = revisions;
    }

    public List<Replica> ofVm(String vm) {
        return jdbc.sql("select * from replica where vm = :vm order by replica").param("vm", vm).query(this::row).list();
    }

    public List<Replica> ofWorker(String workerId) {
        return jdbc.sql("select * from replica where worker_id = :w order by vm, replica").param("w", workerId)
                .query(this::row).list();
    }

    public List<Replica> all() {
        return jdbc.sql("select * from replica order by vm, replica").query(this::row).list();
    }

    public List<Replica> unplaced() {
        return jdbc.sql("select * from replica where worker_id is null order by vm, replica").query(this::row).list();
    }

    public Optional<Replica> find(String vm, int replica) {
        return jdbc.sql("select * from replica where vm = :vm and replica = :r").param("vm", vm).param("r", replica)
                .query(this::row).optional();
    }

    /** A new replica, unplaced until the scheduler places it. */
    public void create(String vm, int replica, String source, long generation, String storePath, Blueprint.Vm spec,
                       long now) {
        jdbc.sql("""
                        insert into replica (vm, replica, source, generation, store_path, previous_store_path, spec,
                                             worker_id, unplaced_reason, updated_at)
                        values (:vm, :r, :source, :gen, :path, '', :spec, null, 'not placed yet', :now)""")
                .param("vm", vm).param("r", replica).param("source", source).param("gen", generation)
                .param("path", storePath).param("spec", json.write(spec)).param("now", now)
                .update();
    }

    /** Replaces a replica's closure where it runs; its worker swaps it (and may restore {@code previous}). */
    public void update(Replica replica, long generation, String storePath, String previous, Blueprint.Vm spec, long now) {
        jdbc.sql("""
                        update replica set generation = :gen, store_path = :path, previous_store_path = :prev,
                               spec = :spec, updated_at = :now, healthy_since = null
                        where vm = :vm and replica = :r""")
                .param("gen", generation).param("path", storePath).param("prev", previous)
                .param("spec", json.write(spec)).param("now", now)
                .param("vm", replica.vm()).param("r", replica.replica())
                .update();
        revisions.touch(replica.workerId());
    }

    public void remove(Replica replica) {
        jdbc.sql("delete from replica where vm = :vm and replica = :r")
                .param("vm", replica.vm()).param("r", replica.replica()).update();
        revisions.touch(replica.workerId());
    }

    public void retire(Replica replica, long at) {
        jdbc.sql("update replica set retire_at = :at where vm = :vm and replica = :r")
                .param("at", at).param("vm", replica.vm()).param("r", replica.replica()).update();
    }

    public List<Replica> retiredBy(long now) {
        return jdbc.sql("select * from replica where retire_at is not null and retire_at <= :now")
                .param("now", now).query(this::row).list();
    }

    public void place(Replica replica, String workerId, long now) {
        jdbc.sql("""
                        update replica set worker_id = :w, unplaced_reason = null, updated_at = :now, healthy_since = null
                        where vm = :vm and replica = :r""")
                .param("w", workerId).param("now", now).param("vm", replica.vm()).param("r", replica.replica())
                .update();
        revisions.touch(replica.workerId());
        revisions.touch(workerId);
    }

    public void unplace(Replica replica, String reason) {
        jdbc.sql("update replica set worker_id = null, unplaced_reason = :reason, healthy_since = null "
                        + "where vm = :vm and replica = :r")
                .param("reason", reason).param("vm", replica.vm()).param("r", replica.replica()).update();
        revisions.touch(replica.workerId());
    }

    public void unplaceable(Collection<Replica> replicas, String reason) {
        for (Replica replica : replicas) {
            jdbc.sql("update replica set unplaced_reason = :reason where vm = :vm and replica = :r")
                    .param("reason", reason).param("vm", replica.vm()).param("r", replica.replica()).update();
        }
    }

    public void healthySince(Replica replica, Long since) {
        jdbc.sql("update replica set healthy_since = :since where vm = :vm and replica = :r")
                .param("since", since).param("vm", replica.vm()).param("r", replica.replica()).update();
    }

    private Replica row(ResultSet rs, int row) throws SQLException {
        return new Replica(rs.getString("vm"), rs.getInt("replica"), rs.getString("source"), rs.getLong("generation"),
                rs.getString("store_path"), rs.getString("previous_store_path"), json.vm(rs.getString("spec")),
                rs.getString("worker_id"), rs.getString("unplaced_reason"), rs.getLong("updated_at"),
                rs.getObject("retire_at", Long.class), rs.getObject("healthy_since", Long.class));
    }
}
