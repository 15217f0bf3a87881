package dev.procurator.ci.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One run of the CI for one commit of one branch: the queue entry while {@code queued}, then its run. Status changes
 * go through {@link PipelineStore}'s conditional updates, so that concurrent executors, cancellations and lease
 * expiries never overwrite each other.
 */
@Entity
@Table(name = "pipeline")
public class Pipeline {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String repo;

    @Column(nullable = false)
    private String branch;

    @Column(name = "commit_sha", nullable = false)
    private String commit;

    @Column(nullable = false)
    private PipelineStatus status;

    @Column(name = "trigger_kind", nullable = false)
    private Trigger trigger;

    @Column(name = "triggered_by")
    private String triggeredBy;

    @Column(name = "delivery_id")
    private String deliveryId;

    @Column(name = "retry_of")
    private Long retryOf;

    private String message;

    @Column(name = "changed_vms")
    private String changedVms;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(nullable = false)
    private int attempts;

    @Column(name = "claimed_by")
    private String claimedBy;

    @Column(name = "lease_until")
    private Instant leaseUntil;

    @Column(name = "running_key")
    private String runningKey;

    @Column(name = "cancel_requested", nullable = false)
    private boolean cancelRequested;

    @Column(name = "reported_status")
    private PipelineStatus reportedStatus;

    protected Pipeline() {
    }

    public Pipeline(String repo, String branch, String commit, Trigger trigger, String triggeredBy, String deliveryId,
                    Long retryOf) {
        this.repo = repo;
        this.branch = branch;
        this.commit = commit;
        this.trigger = trigger;
        this.triggeredBy = triggeredBy;
        this.deliveryId = deliveryId;
        this.retryOf = retryOf;
        this.status = PipelineStatus.QUEUED;
        this.createdAt = Instant.now();
    }

    public Long id() {
        return id;
    }

    public String repo() {
        return repo;
    }

    public String branch() {
        return branch;
    }

    public String commit() {
        return commit;
    }

    public PipelineStatus status() {
        return status;
    }

    public Trigger trigger() {
        return trigger;
    }

    public String triggeredBy() {
        return triggeredBy;
    }

    public String deliveryId() {
        return deliveryId;
    }

    public Long retryOf() {
        return retryOf;
    }

    /** Why it failed or was cancelled; null otherwise. */
    public String message() {
        return message;
    }

    /** VMs whose closure or spec changed, were added or removed, against the branch's last deployment. */
    public List<String> changedVms() {
        return changedVms == null || changedVms.isEmpty() ? List.of() : Arrays.asList(changedVms.split(","));
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    /** From its start to its end (or now, while it runs); null before it starts. */
    public Duration duration() {
        if (startedAt == null) {
            return null;
        }
        return Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt);
    }

    public int attempts() {
        return attempts;
    }

    public String claimedBy() {
        return claimedBy;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    /** The status last reported to the forge as a commit status, or null. */
    public PipelineStatus reportedStatus() {
        return reportedStatus;
    }

    /** The key of {@code running_key}: one running pipeline per repository and branch. */
    public static String runningKey(String repo, String branch) {
        return repo + "@" + branch;
    }

    static String joinVms(List<String> vms) {
        return String.join(",", vms);
    }
}
