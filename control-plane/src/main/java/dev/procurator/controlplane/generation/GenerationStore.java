package dev.procurator.controlplane.generation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

import dev.procurator.controlplane.config.StateJson;
import dev.procurator.schema.blueprint.Blueprint;

/** Generations in the {@code generation} table. */
@Component
public class GenerationStore {

    private final JdbcClient jdbc;
    private final StateJson json;

    GenerationStore(JdbcClient jdbc, StateJson json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A source's newest generation as stored: its number and JSON, for an equality check without parsing. */
    public record Stored(long number, String blueprint, String closures) {
    }

    public Optional<Stored> currentStored(String source) {
        return jdbc.sql("select number, blueprint, closures from generation where source = :source "
                        + "order by number desc limit 1")
                .param("source", source)
                .query((rs, row) -> new Stored(rs.getLong(1), rs.getString(2), rs.getString(3))).optional();
    }

    public Generation insert(String source, long number, String gitCommit, SortedMap<String, Blueprint.Vm> blueprint,
                             SortedMap<String, String> closures, String pipelineUrl, long now) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                        insert into generation (source, number, git_commit, blueprint, closures, pipeline_url, created_at)
                        values (:source, :number, :commit, :blueprint, :closures, :url, :now)""")
                .param("source", source).param("number", number).param("commit", gitCommit)
                .param("blueprint", json.write(blueprint)).param("closures", json.write(closures))
                .param("url", pipelineUrl).param("now", now)
                .update(key, "id");
        return new Generation(key.getKey().longValue(), source, number, gitCommit, blueprint, closures, pipelineUrl,
                now);
    }

    public Optional<Generation> current(String source) {
        return jdbc.sql("select * from generation where source = :source order by number desc limit 1")
                .param("source", source).query(this::row).optional();
    }

    public Optional<Generation> find(String source, long number) {
        return jdbc.sql("select * from generation where source = :source and number = :number")
                .param("source", source).param("number", number).query(this::row).optional();
    }

    public Optional<Generation> byId(long id) {
        return jdbc.sql("select * from generation where id = :id").param("id", id).query(this::row).optional();
    }

    public List<Generation> ofSource(String source, int limit) {
        return jdbc.sql("select * from generation where source = :source order by number desc limit :limit")
                .param("source", source).param("limit", limit).query(this::row).list();
    }

    /** The newest generation of each source. */
    public List<Generation> currents() {
        return jdbc.sql("""
                        select g.* from generation g
                        where g.number = (select max(number) from generation h where h.source = g.source)
                        order by g.source""")
                .query(this::row).list();
    }

    private Generation row(ResultSet rs, int row) throws SQLException {
        return new Generation(rs.getLong("id"), rs.getString("source"), rs.getLong("number"),
                rs.getString("git_commit"), json.blueprint(rs.getString("blueprint")),
                json.closures(rs.getString("closures")), rs.getString("pipeline_url"), rs.getLong("created_at"));
    }
}
