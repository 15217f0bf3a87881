package dev.procurator.controlplane.rollout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

import dev.procurator.controlplane.config.StateJson;

/** Rollouts and their transitions ({@code rollout}, {@code rollout_transition}). */
@Component
public class RolloutStore {

    /** One persisted transition. */
    public record TransitionRecord(long at, String from, String to, String reason) {
    }

    private final JdbcClient jdbc;
    private final StateJson json;

    RolloutStore(JdbcClient jdbc, StateJson json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public long insert(Rollout r) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                        insert into rollout (vm, source, strategy, state, reason, generation, from_generation, to_closure,
                            from_closure, to_spec, from_spec, new_base, promoted, canary_healthy_at, updated_replicas,
                            healthy_replicas, total_replicas, started_at, last_progress_at, updated_at)
                        values (:vm, :source, :strategy, :state, :reason, :gen, :fromGen, :to, :from, :toSpec,
                            :fromSpec, :base, :promoted, :canaryAt, :upd, :healthy, :total, :started, :progress, :at)""")
                .param("vm", r.vm()).param("source", r.source()).param("strategy", r.strategyType())
                .param("state", r.state().label()).param("reason", r.reason()).param("gen", r.generation())
                .param("fromGen", r.fromGeneration()).param("to", r.toClosure()).param("from", r.fromClosure())
                .param("toSpec", json.write(r.toSpec()))
                .param("fromSpec", r.fromSpec() == null ? null : json.write(r.fromSpec()))
                .param("base", r.newBase()).param("promoted", r.promoted()).param("canaryAt", r.canaryHealthyAt())
                .param("upd", r.updatedReplicas()).param("healthy", r.healthyReplicas())
                .param("total", r.totalReplicas()).param("started", r.startedAt())
                .param("progress", r.lastProgressAt()).param("at", r.updatedAt())
                .update(key, "id");
        return key.getKey().longValue();
    }

    public void update(Rollout r) {
        jdbc.sql("""
                        update rollout set state = :state, reason = :reason, promoted = :promoted,
                            canary_healthy_at = :canaryAt, updated_replicas = :upd, healthy_replicas = :healthy,
                            total_replicas = :total, last_progress_at = :progress, updated_at = :at
                        where id = :id""")
                .param("state", r.state().label()).param("reason", r.reason()).param("promoted", r.promoted())
                .param("canaryAt", r.canaryHealthyAt()).param("upd", r.updatedReplicas())
                .param("healthy", r.healthyReplicas()).param("total", r.totalReplicas())
                .param("progress", r.lastProgressAt()).param("at", r.updatedAt()).param("id", r.id())
                .update();
    }

    public void transition(long rolloutId, long at, RolloutState from, RolloutState to, String reason) {
        jdbc.sql("""
                        insert into rollout_transition (rollout_id, at, from_state, to_state, reason)
                        values (:id, :at, :from, :to, :reason)""")
                .param("id", rolloutId).param("at", at).param("from", from == null ? null : from.label())
                .param("to", to.label()).param("reason", reason).update();
    }

    public List<TransitionRecord> transitions(long rolloutId) {
        return jdbc.sql("select * from rollout_transition where rollout_id = :id order by id").param("id", rolloutId)
                .query((rs, row) -> new TransitionRecord(rs.getLong("at"), rs.getString("from_state"),
                        rs.getString("to_state"), rs.getString("reason")))
                .list();
    }

    public Optional<Rollout> byId(long id) {
        return jdbc.sql("select * from rollout where id = :id").param("id", id).query(this::row).optional();
    }

    public List<Rollout> unfinished() {
        return jdbc.sql("select * from rollout where state in ('pending', 'inProgress', 'paused', 'rollingBack') "
                + "order by id").query(this::row).list();
    }

    public Optional<Rollout> unfinished(String vm) {
        return jdbc.sql("select * from rollout where vm = :vm and state in ('pending', 'inProgress', 'paused', "
                + "'rollingBack') order by id desc limit 1").param("vm", vm).query(this::row).optional();
    }

    public Optional<Rollout> latest(String vm) {
        return jdbc.sql("select * from rollout where vm = :vm order by id desc limit 1").param("vm", vm)
                .query(this::row).optional();
    }

    public List<Rollout> recent(String vm, int limit) {
        return (vm == null
                ? jdbc.sql("select * from rollout order by id desc limit :limit")
                : jdbc.sql("select * from rollout where vm = :vm order by id desc limit :limit").param("vm", vm))
                .param("limit", limit).query(this::row).list();
    }

    /** The newest rollout of each VM. */
    public List<Rollout> latestPerVm() {
        return jdbc.sql("select * from rollout r where r.id = (select max(id) from rollout s where s.vm = r.vm) "
                + "order by r.vm").query(this::row).list();
    }

    private Rollout row(ResultSet rs, int row) throws SQLException {
        return new Rollout(rs.getLong("id"), rs.getString("vm"), rs.getString("source"),
                RolloutState.ofLabel(rs.getString("state")), rs.getString("reason"), rs.getLong("generation"),
                rs.getLong("from_generation"), rs.getString("to_closure"), rs.getString("from_closure"),
                json.vm(rs.getString("to_spec")), json.vm(rs.getString("from_spec")), rs.getInt("new_base"),
                rs.getBoolean("promoted"), rs.getObject("canary_healthy_at", Long.class),
                rs.getInt("updated_replicas"), rs.getInt("healthy_replicas"), rs.getInt("total_replicas"),
                rs.getLong("started_at"), rs.getLong("last_progress_at"), rs.getLong("updated_at"));
    }
}
