package dev.procurator.controlplane.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The timeline, in the {@code event} table. Events are written inside the transaction of the change they describe, so
 * a reader never sees an event of a change that was rolled back; listeners (the SSE streams) are told after commit.
 */
@Component
public class EventLog {

    private static final Logger log = LoggerFactory.getLogger(EventLog.class);

    private final JdbcClient jdbc;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    EventLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Kinds of events. */
    public static final String GENERATION_PUBLISHED = "generationPublished";
    public static final String ROLLOUT = "rollout";
    public static final String REPLICA_PLACED = "replicaPlaced";
    public static final String REPLICA_UNPLACEABLE = "replicaUnplaceable";
    public static final String REPLICA_STARTED = "replicaStarted";
    public static final String REPLICA_HEALTHY = "replicaHealthy";
    public static final String REPLICA_UNHEALTHY = "replicaUnhealthy";
    public static final String REPLICA_STOPPED = "replicaStopped";
    public static final String WORKER = "worker";
    public static final String LEADER = "leader";

    public void record(String kind, String source, String vm, String worker, Long generation, Long rolloutId,
                       String message) {
        jdbc.sql("""
                        insert into event (at, kind, source, vm, worker, generation, rollout_id, message)
                        values (:at, :kind, :source, :vm, :worker, :generation, :rollout, :message)""")
                .param("at", System.currentTimeMillis()).param("kind", kind).param("source", source)
                .param("vm", vm).param("worker", worker).param("generation", generation)
                .param("rollout", rolloutId).param("message", truncate(message))
                .update();
        log.info("{}: {}{}{} {}", kind, vm == null ? "" : "vm=" + vm + " ", worker == null ? "" : "worker=" + worker + " ",
                generation == null ? "" : "generation=" + generation, message);
    }

    /** Events after {@code since}, oldest first, at most {@code limit}. */
    public List<Event> since(long since, int limit) {
        return jdbc.sql("select * from event where id > :since order by id limit :limit")
                .param("since", since).param("limit", limit)
                .query((rs, row) -> new Event(rs.getLong("id"), rs.getLong("at"), rs.getString("kind"),
                        rs.getString("source"), rs.getString("vm"), rs.getString("worker"),
                        (Long) rs.getObject("generation", Long.class), (Long) rs.getObject("rollout_id", Long.class),
                        rs.getString("message")))
                .list();
    }

    public long latestId() {
        return jdbc.sql("select coalesce(max(id), 0) from event").query(Long.class).single();
    }

    /** Called after a write committed (events may have been added). */
    public void committed() {
        listeners.forEach(Runnable::run);
    }

    public Runnable onCommit(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }


    static String truncate(String message) {
        return message == null ? "" : message.length() > 3900 ? message.substring(0, 3900) + "..." : message;
    }
}
