package dev.procurator.forge.webhook;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The value a ref had when its last push event was recorded (40 zeros once deleted). */
@Entity
@Table(name = "recorded_ref")
public class RecordedRef {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "repo_id", nullable = false)
    private Long repoId;

    @Column(name = "ref_name", nullable = false)
    private String refName;

    @Column(nullable = false, length = 64)
    private String sha;

    @Column(name = "push_event_id", nullable = false)
    private Long pushEventId;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected RecordedRef() {
    }

    RecordedRef(Long repoId, String refName, String sha, Long pushEventId, Instant at) {
        this.repoId = repoId;
        this.refName = refName;
        this.sha = sha;
        this.pushEventId = pushEventId;
        this.updatedAt = at;
    }

    public String refName() {
        return refName;
    }

    public String sha() {
        return sha;
    }
}
