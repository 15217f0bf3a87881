package dev.procurator.forge.token;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import dev.procurator.forge.user.User;

/** A personal access token: only its SHA-256 is stored; the token itself is shown once, at creation. */
@Entity
@Table(name = "access_token")
public class AccessToken {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "user_id")
    private User user;

    @Column(nullable = false, length = 100)
    private String name;

    @Column(name = "token_hash", nullable = false, unique = true, length = 64)
    private String tokenHash;

    @Column(nullable = false, length = 100)
    private String scopes;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected AccessToken() {
    }

    AccessToken(User user, String name, String tokenHash, Set<String> scopes) {
        this.user = user;
        this.name = name;
        this.tokenHash = tokenHash;
        this.scopes = String.join(",", scopes);
        this.createdAt = Instant.now();
    }

    public Long id() {
        return id;
    }

    public User user() {
        return user;
    }

    public String name() {
        return name;
    }

    public Set<String> scopes() {
        return new LinkedHashSet<>(Arrays.asList(scopes.split(",")));
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastUsedAt() {
        return lastUsedAt;
    }

    public Instant revokedAt() {
        return revokedAt;
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    void revoke() {
        revokedAt = Instant.now();
    }

    void usedAt(Instant when) {
        lastUsedAt = when;
    }
}
