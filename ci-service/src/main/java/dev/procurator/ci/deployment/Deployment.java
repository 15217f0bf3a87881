package dev.procurator.ci.deployment;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The stored deployment artifact of one pipeline (its {@code deployment.json}, verbatim). */
@Entity
@Table(name = "deployment")
public class Deployment {

    @Id
    @Column(name = "pipeline_id")
    private Long pipelineId;

    @Column(nullable = false)
    private String repo;

    @Column(nullable = false)
    private String branch;

    @Column(name = "commit_sha", nullable = false)
    private String commit;

    @Column(nullable = false)
    private String artifact;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Deployment() {
    }

    Deployment(long pipelineId, String repo, String branch, String commit, String artifact, Instant createdAt) {
        this.pipelineId = pipelineId;
        this.repo = repo;
        this.branch = branch;
        this.commit = commit;
        this.artifact = artifact;
        this.createdAt = createdAt;
    }

    public Long pipelineId() {
        return pipelineId;
    }

    /** The deployment.json text. */
    public String artifact() {
        return artifact;
    }
}
