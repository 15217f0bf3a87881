package dev.procurator.forge.webhook;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One accepted ref update, with the exact JSON body its webhook deliveries carry. */
@Entity
@Table(name = "push_event")
public class PushEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "repo_id", nullable = false)
    private Long repoId;

    @Column(nullable = false)
    private String ref;

    @Column(name = "old_sha", nullable = false, length = 64)
    private String oldSha;

    @Column(name = "new_sha", nullable = false, length = 64)
    private String newSha;

    @Column(nullable = false, length = 40)
    private String pusher;

    @Column(nullable = false, length = 1000000)
    private String payload;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected PushEvent() {
    }

    PushEvent(Long repoId, String ref, String oldSha, String newSha, String pusher, String payload, Instant at) {
        this.repoId = repoId;
        this.ref = ref;
        this.oldSha = oldSha;
        this.newSha = newSha;
        this.pusher = pusher;
        this.payload = payload;
        this.createdAt = at;
    }

    public Long id() {
        return id;
    }

    public Long repoId() {
        return repoId;
    }

    public String ref() {
        return ref;
    }

    public String oldSha() {
        return oldSha;
    }

    public String newSha() {
        return newSha;
    }

    public String pusher() {
        return pusher;
    }

    public String payload() {
        return payload;
    }

    public Instant createdAt() {
        return createdAt;
    }

    void setPayload(String payload) {
        this.payload = payload;
    }
}
