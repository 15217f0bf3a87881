package dev.procurator.controlplane.worker;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.procurator.controlplane.config.StateJson;

/** The {@code worker} table. */
@Component
public class WorkerStore {

    private final JdbcClient jdbc;
    private final StateJson json;

    private final JdbcTemplate batch;

    WorkerStore(JdbcClient jdbc, JdbcTemplate batch, StateJson json) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
    }

    public List<WorkerRecord> all() {
        return jdbc.sql("select * from worker order by id").query(this::row).list();
    }

    public Optional<WorkerRecord> find(String id) {
        return jdbc.sql("select * from worker where id = :id").param("id", id).query(this::row).optional();
    }

    /** Inserts or refreshes a worker's registration; a returning worker is ready again. */
    public void register(WorkerRecord w) {
        int updated = jdbc.sql("""
                        update worker set hostname = :host, address = :address, api_url = :api, labels = :labels,
                            cpu = :cpu, memory_mb = :mem, disk_mb = :disk, agent_version = :version, state = 'ready',
                            last_heartbeat = :hb
                        where id = :id""")
                .params(params(w)).update();
        if (updated == 0) {
            jdbc.sql("""
                            insert into worker (id, hostname, address, api_url, labels, cpu, memory_mb, disk_mb,
                                agent_version, state, draining, last_heartbeat, assignment_revision)
                            values (:id, :host, :address, :api, :labels, :cpu, :mem, :disk, :version, 'ready', false,
                                :hb, 1)""")
                    .params(params(w)).update();
        }
    }

    private Map<String, Object> params(WorkerRecord w) {
        return Map.of("id", w.id(), "host", w.hostname(), "address", w.address(), "api", w.apiUrl(),
                "labels", json.write(w.labels()), "cpu", w.cpu(), "mem", w.memoryMb(), "disk", w.diskMb(),
                "version", w.agentVersion(), "hb", w.lastHeartbeat());
    }

    public void liveness(String id, WorkerRecord.Liveness liveness, long lastHeartbeat) {
        jdbc.sql("update worker set state = :state, last_heartbeat = :hb where id = :id")
                .param("state", liveness.name().toLowerCase()).param("hb", lastHeartbeat).param("id", id).update();
    }

    /** A heartbeat to persist: when, and the metrics it carried (null: keep the last). */
    public record Heartbeat(String id, long at, String metrics) {
    }

    /** Persists many heartbeats in one JDBC batch. */
    public void heartbeats(List<Heartbeat> beats) {
        if (beats.isEmpty()) {
            return;
        }
        batch.batchUpdate("update worker set last_heartbeat = ?, metrics = coalesce(?, metrics) where id = ?",
                beats, beats.size(), (statement, beat) -> {
                    statement.setLong(1, beat.at());
                    statement.setString(2, beat.metrics());
                    statement.setString(3, beat.id());
                });
    }

    public void draining(String id, boolean draining) {
        jdbc.sql("update worker set draining = :d where id = :id").param("d", draining).param("id", id).update();
    }

    private WorkerRecord row(ResultSet rs, int row) throws SQLException {
        return new WorkerRecord(rs.getString("id"), rs.getString("hostname"), rs.getString("address"),
                rs.getString("api_url"), json.strings(rs.getString("labels")), rs.getDouble("cpu"),
                rs.getLong("memory_mb"), rs.getLong("disk_mb"), rs.getString("agent_version"),
                WorkerRecord.Liveness.valueOf(rs.getString("state").toUpperCase()), rs.getBoolean("draining"),
                rs.getLong("last_heartbeat"), rs.getString("metrics"), rs.getLong("assignment_revision"));
    }
}
