package dev.procurator.ci.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

public interface StepStore extends JpaRepository<PipelineStep, Long> {

    List<PipelineStep> findByPipelineIdAndAttemptOrderByPosition(Long pipelineId, int attempt);

    Optional<PipelineStep> findFirstByPipelineIdAndNameOrderByAttemptDesc(Long pipelineId, String name);

    /** Steps left running by an executor that died: they ended with it. */
    @Modifying
    @Transactional
    @Query("""
            update PipelineStep s set s.status = dev.procurator.ci.pipeline.StepStatus.FAILED, s.message = :message,
                   s.finishedAt = :now
            where s.pipelineId = :pipeline and s.status = dev.procurator.ci.pipeline.StepStatus.RUNNING""")
    int abandonRunning(@Param("pipeline") long pipelineId, @Param("message") String message,
                       @Param("now") Instant now);
}
