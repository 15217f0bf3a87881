package dev.procurator.controlplane.generation;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.procurator.controlplane.config.StateJson;
import dev.procurator.schema.blueprint.Blueprint;

/** The {@code vm} table: each VM's owning source and the generation whose closure it should run now. */
@Component
public class VmStore {

    /** A VM's desired state. */
    public record DesiredVm(String name, String source, long generation, String closure, Blueprint.Vm spec) {
    }

    private final JdbcClient jdbc;
    private final StateJson json;

    VmStore(JdbcClient jdbc, StateJson json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<DesiredVm> find(String name) {
        return jdbc.sql("select * from vm where name = :name").param("name", name).query(this::row).optional();
    }

    public List<DesiredVm> all() {
        return jdbc.sql("select * from vm order by name").query(this::row).list();
    }

    public List<DesiredVm> ofSource(String source) {
        return jdbc.sql("select * from vm where source = :s order by name").param("s", source).query(this::row).list();
    }

    public void put(DesiredVm vm) {
        int updated = jdbc.sql("update vm set source = :source, generation = :gen, closure = :closure, spec = :spec "
                        + "where name = :name")
                .param("source", vm.source()).param("gen", vm.generation()).param("closure", vm.closure())
                .param("spec", json.write(vm.spec())).param("name", vm.name()).update();
        if (updated == 0) {
            jdbc.sql("insert into vm (name, source, generation, closure, spec) values (:name, :source, :gen, :closure, "
                            + ":spec)")
                    .param("source", vm.source()).param("gen", vm.generation()).param("closure", vm.closure())
                    .param("spec", json.write(vm.spec())).param("name", vm.name()).update();
        }
    }

    public void delete(String name) {
        jdbc.sql("delete from vm where name = :name").param("name", name).update();
    }

    private DesiredVm row(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new DesiredVm(rs.getString("name"), rs.getString("source"), rs.getLong("generation"),
                rs.getString("closure"), json.vm(rs.getString("spec")));
    }
}
