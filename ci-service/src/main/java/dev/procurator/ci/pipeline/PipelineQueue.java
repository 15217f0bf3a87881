package dev.procurator.ci.pipeline;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes queued pipelines for one instance: the oldest queued pipeline of a branch with none running, locked with
 * {@code FOR UPDATE SKIP LOCKED} (PostgreSQL and H2), so instances sharing the database never take the same one and
 * never wait on each other's rows. Plain SQL: JPQL has no {@code SKIP LOCKED}.
 */
@Component
public class PipelineQueue {

    private static final Logger log = LoggerFactory.getLogger(PipelineQueue.class);

    /** What an executor took: the pipeline and the number of this attempt at it. */
    public record Claim(long pipelineId, int attempt) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    PipelineQueue(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Claims the next pipeline for {@code owner} with a lease of {@code lease}, if any is waiting. */
    public Optional<Claim> claim(String owner, Duration lease) {
        try {
            return Optional.ofNullable(tx.execute(status -> claimInTransaction(owner, lease)));
        } catch (DataIntegrityViolationException raced) {
            // Another instance started a pipeline of the same branch between our SELECT and UPDATE (running_key is
            // unique): this one waits for it. The next poll tries again.
            log.debug("claim lost a race on a branch: {}", raced.getMessage());
            return Optional.empty();
        }
    }

    private Claim claimInTransaction(String owner, Duration lease) {
        Optional<Waiting> next = jdbc.sql("""
                        select p.id, p.repo, p.branch, p.attempts from pipeline p
                        where p.status = 'queued'
                          and not exists (select 1 from pipeline r where r.running_key = p.repo || '@' || p.branch)
                        order by p.id
                        limit 1
                        for update skip locked""")
                .query((rs, row) -> new Waiting(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)))
                .optional();
        if (next.isEmpty()) {
            return null;
        }
        Waiting pipeline = next.get();
        Instant now = Instant.now();
        jdbc.sql("""
                        update pipeline set status = 'running', claimed_by = :owner, lease_until = :until,
                               running_key = :key, attempts = attempts + 1, started_at = coalesce(started_at, :now)
                        where id = :id""")
                .param("owner", owner).param("until", Timestamp.from(now.plus(lease)))
                .param("key", Pipeline.runningKey(pipeline.repo(), pipeline.branch()))
                .param("now", Timestamp.from(now)).param("id", pipeline.id())
                .update();
        return new Claim(pipeline.id(), pipeline.attempts() + 1);
    }

    private record Waiting(long id, String repo, String branch, int attempts) {
    }
}
