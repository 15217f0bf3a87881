package dev.procurator.forge.status;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One status report for a commit; later reports of the same context supersede earlier ones. */
@Entity
@Table(name = "commit_status")
public class CommitStatus {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "repo_id", nullable = false)
    private Long repoId;

    @Column(nullable = false, length = 64)
    private String sha;

    @Column(nullable = false, length = 10)
    private String state;

    @Column(nullable = false)
    private String context;

    @Column(nullable = false, length = 1000)
    private String description;

    @Column(name = "target_url", nullable = false, length = 2000)
    private String targetUrl;

    @Column(nullable = false, length = 40)
    private String creator;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected CommitStatus() {
    }

    CommitStatus(Long repoId, String sha, String state, String context, String description, String targetUrl,
                 String creator) {
        this.repoId = repoId;
        this.sha = sha;
        this.state = state;
        this.context = context;
        this.description = description;
        this.targetUrl = targetUrl;
        this.creator = creator;
        this.createdAt = Instant.now();
    }

    public Long id() {
        return id;
    }

    public String sha() {
        return sha;
    }

    public String state() {
        return state;
    }

    public String context() {
        return context;
    }

    public String description() {
        return description;
    }

    public String targetUrl() {
        return targetUrl;
    }

    public String creator() {
        return creator;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
