package dev.procurator.forge.webhook;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A repository's subscription: where to POST which events, and the secret that signs them. */
@Entity
@Table(name = "webhook")
public class Webhook {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "repo_id", nullable = false)
    private Long repoId;

    @Column(nullable = false, length = 2000)
    private String url;

    @Column(nullable = false)
    private String secret;

    @Column(nullable = false)
    private String events;

    @Column(nullable = false)
    private boolean active;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Webhook() {
    }

    Webhook(Long repoId, String url, String secret, List<String> events, boolean active) {
        this.repoId = repoId;
        this.url = url;
        this.secret = secret;
        this.events = String.join(",", events);
        this.active = active;
        this.createdAt = Instant.now();
    }

    public Long id() {
        return id;
    }

    public Long repoId() {
        return repoId;
    }

    public String url() {
        return url;
    }

    String secret() {
        return secret;
    }

    public boolean hasSecret() {
        return !secret.isEmpty();
    }

    public List<String> events() {
        return Arrays.asList(events.split(","));
    }

    public boolean active() {
        return active;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
