package dev.procurator.ci.pipeline;

import java.time.Instant;
import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pipelines, and every change of their status as one conditional UPDATE: a transition happens only from the states
 * it is valid from (and, for a running pipeline, only by the instance holding its claim), whoever else races for it.
 */
public interface PipelineStore extends JpaRepository<Pipeline, Long> {

    List<Pipeline> findByRepoOrderByIdDesc(String repo, Limit limit);

    List<Pipeline> findByRepoAndBranchOrderByIdDesc(String repo, String branch, Limit limit);

    List<Pipeline> findAllByOrderByIdDesc(Limit limit);

    long countByStatus(PipelineStatus status);

    /** Cancels the branch's still-queued pipelines older than {@code newer}: a newer push supersedes them. */
    @Modifying
    @Transactional
    @Query("""
            update Pipeline p set p.status = dev.procurator.ci.pipeline.PipelineStatus.CANCELLED,
                   p.message = :message, p.finishedAt = :now
            where p.repo = :repo and p.branch = :branch and p.id < :newer
              and p.status = dev.procurator.ci.pipeline.PipelineStatus.QUEUED""")
    int supersedeQueued(@Param("repo") String repo, @Param("branch") String branch, @Param("newer") long newer,
                        @Param("message") String message, @Param("now") Instant now);

    @Modifying
    @Transactional
    @Query("""
            update Pipeline p set p.status = dev.procurator.ci.pipeline.PipelineStatus.CANCELLED,
                   p.message = :message, p.finishedAt = :now
            where p.id = :id and p.status = dev.procurator.ci.pipeline.PipelineStatus.QUEUED""")
    int cancelQueued(@Param("id") long id, @Param("message") String message, @Param("now") Instant now);

    @Modifying
    @Transactional
    @Query("""
            update Pipeline p set p.cancelRequested = true
            where p.id = :id and p.status = dev.procurator.ci.pipeline.PipelineStatus.RUNNING""")
    int requestCancel(@Param("id") long id);

    /** Ends a run; only the instance that holds the claim can. */
    @Modifying
    @Transactional
    @Query("""
            update Pipeline p set p.status = :status, p.message = :message, p.finishedAt = :now,
                   p.claimedBy = null, p.leaseUntil = null, p.runningKey = null
            where p.id = :id and p.claimedBy = :owner
              and p.status = dev.procurator.ci.pipeline.PipelineStatus.RUNNING""")
    int finish(@Param("id") long id, @Param("owner") String owner, @Param("status") PipelineStatus status,
               @Param("message") String message, @Param("now") Instant now);

    @Modifying
    @Transactional
    @Query("""
            update Pipeline p set p.changedVms = :vms
            where p.id = :id and p.claimedBy = :owner""")
    int recordChangedVms(@Param("id") long id, @Param("owner") String owner, @Param("vms") String vms);

    /** Gives a pipeline back to the queue, e.g. when its instance shuts down in the middle of it. */
    @Modifying
    @Transactional
    @Query("""
            update Pipeline p set p.status = dev.procurator.ci.pipeline.PipelineStatus.QUEUED,
                   p.claimedBy = null, p.leaseUntil = null, p.runningKey = null
            where p.id = :id and p.claimedBy = :owner
              and p.status = dev.procurator.ci.pipeline.PipelineStatus.RUNNING""")
    int release(@Param("id") long id, @Param("owner") String owner);

    @Modifying
    @Transactional
    @Query("""
            update Pipeline p set p.leaseUntil = :until
            where p.claimedBy = :owner and p.status = dev.procurator.ci.pipeline.PipelineStatus.RUNNING""")
    int renewLeases(@Param("owner") String owner, @Param("until") Instant until);

    @Query("""
            select p.id from Pipeline p
            where p.claimedBy = :owner and p.cancelRequested = true
              and p.status = dev.procurator.ci.pipeline.PipelineStatus.RUNNING""")
    List<Long> cancelRequestedOf(@Param("owner") String owner);

    /** Running pipelines whose instance stopped renewing its claim: it died. */
    @Query("""
            select p.id from Pipeline p
            where p.status = dev.procurator.ci.pipeline.PipelineStatus.RUNNING and p.leaseUntil < :now""")
    List<Long> findExpired(@Param("now") Instant now);

    /** Queues an orphaned pipeline again, unless it is out of attempts. */
    @Modifying
    @Transactional
    @Query("""
            update Pipeline p set p.status = dev.procurator.ci.pipeline.PipelineStatus.QUEUED,
                   p.claimedBy = null, p.leaseUntil = null, p.runningKey = null
            where p.id = :id and p.status = dev.procurator.ci.pipeline.PipelineStatus.RUNNING
              and p.leaseUntil < :now and p.attempts < :maxAttempts""")
    int requeueExpired(@Param("id") long id, @Param("now") Instant now, @Param("maxAttempts") int maxAttempts);

    @Modifying
    @Transactional
    @Query("""
            update Pipeline p set p.status = dev.procurator.ci.pipeline.PipelineStatus.FAILED, p.message = :message,
                   p.finishedAt = :now, p.claimedBy = null, p.leaseUntil = null, p.runningKey = null
            where p.id = :id and p.status = dev.procurator.ci.pipeline.PipelineStatus.RUNNING
              and p.leaseUntil < :now""")
    int failExpired(@Param("id") long id, @Param("message") String message, @Param("now") Instant now);

    @Modifying
    @Transactional
    @Query("update Pipeline p set p.reportedStatus = :status where p.id = :id")
    int markReported(@Param("id") long id, @Param("status") PipelineStatus status);

    /** Pipelines whose commit status on the forge lags behind their status since before {@code settledBefore}. */
    @Query("""
            select p.id from Pipeline p
            where (p.reportedStatus is null or p.reportedStatus <> p.status) and p.createdAt > :since
              and coalesce(p.finishedAt, p.startedAt, p.createdAt) < :settledBefore
            order by p.id""")
    List<Long> unreported(@Param("since") Instant since, @Param("settledBefore") Instant settledBefore,
                          Limit limit);
}
