package dev.procurator.controlplane.assignment;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each worker's assignment revision ({@code worker.assignment_revision}). A change marks the workers it touches
 * ({@link #touch}); the revisions are raised in the change's transaction ({@link #persist}) and the committed values
 * published to the long polls after the commit ({@link #committed}). Only the single writer calls the first three.
 */
@Component
public class Revisions {

    private final JdbcClient jdbc;
    private final Set<String> touched = new LinkedHashSet<>();
    private final Map<String, Long> current = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, Long> onChange = (worker, revision) -> { };

    Revisions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void touch(String workerId) {
        if (workerId != null) {
            touched.add(workerId);
        }
    }

    public void persist() {
        if (touched.isEmpty()) {
            return;
        }
        List<String> ids = List.copyOf(touched);
        jdbc.sql("update worker set assignment_revision = assignment_revision + 1 where id in (:ids)")
                .param("ids", ids).update();
    }

    public void committed() {
        if (touched.isEmpty()) {
            return;
        }
        List<String> ids = List.copyOf(touched);
        touched.clear();
        Map<String, Long> read = new HashMap<>();
        jdbc.sql("select id, assignment_revision from worker where id in (:ids)").param("ids", ids)
                .query(rs -> {
                    read.put(rs.getString(1), rs.getLong(2));
                });
        read.forEach((worker, revision) -> {
            current.put(worker, revision);
            onChange.accept(worker, revision);
        });
    }

    public void discard() {
        touched.clear();
    }

    /** The committed revision of a worker's assignment (read from the database the first time). */
    public long of(String workerId) {
        return current.computeIfAbsent(workerId, id -> jdbc.sql("select assignment_revision from worker where id = :id")
                .param("id", id).query(Long.class).optional().orElse(0L));
    }

    void forget() {
        current.clear();
    }

    void onChange(BiConsumer<String, Long> listener) {
        this.onChange = listener;
    }
}
