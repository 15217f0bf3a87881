package dev.procurator.ci.log;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Step output in the database ({@code step_log}), appended in numbered chunks while a step runs, so every CI instance
 * serves every log, live. Plain SQL: the table is an append-only list of text chunks that no entity maps.
 */
@Component
public class StepLogs {

    /** One appended piece of output; {@code seq} orders them and lets a follower resume after the last it saw. */
    public record Chunk(int seq, String text) {
    }

    private final JdbcClient jdbc;

    StepLogs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void append(long stepId, int seq, String text) {
        jdbc.sql("insert into step_log (step_id, seq, chunk) values (:step, :seq, :chunk)")
                .param("step", stepId).param("seq", seq).param("chunk", text).update();
    }

    /** Chunks after {@code afterSeq} (-1 for all), in order. */
    public List<Chunk> after(long stepId, int afterSeq) {
        return jdbc.sql("select seq, chunk from step_log where step_id = :step and seq > :after order by seq")
                .param("step", stepId).param("after", afterSeq)
                .query((rs, row) -> new Chunk(rs.getInt(1), rs.getString(2))).list();
    }

    public String text(long stepId) {
        StringBuilder text = new StringBuilder();
        after(stepId, -1).forEach(chunk -> text.append(chunk.text()));
        return text.toString();
    }
}
