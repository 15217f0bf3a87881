package dev.procurator.ci.deployment;

import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface DeploymentStore extends JpaRepository<Deployment, Long> {

    /** The deployments of pipelines of the branch that succeeded, newest first. */
    @Query("""
            select d from Deployment d, Pipeline p
            where p.id = d.pipelineId and d.repo = :repo and d.branch = :branch
              and p.status = dev.procurator.ci.pipeline.PipelineStatus.SUCCEEDED
            order by d.pipelineId desc""")
    List<Deployment> lastSuccessful(@Param("repo") String repo, @Param("branch") String branch, Limit limit);
}
