package dev.procurator.common.token;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

/**
 * What every service stores of a token it issued (forge users' personal access tokens, cache tokens, ...): the
 * SHA-256 of the secret ({@link dev.procurator.common.auth.Tokens#hash}), never the secret; a name; the scopes it was
 * issued with (their meaning is the issuing service's); when it was created, last used, revoked, and when it
 * expires (null: never). A revoked token keeps its row, so lists show what existed and what was revoked when.
 * A service's entity extends this with what the token belongs to (a user, a cache), and its table has the columns
 * below (rename one with {@code @AttributeOverride}).
 */
@MappedSuperclass
public abstract class StoredToken {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 100)
    private String name;

    @Column(name = "token_hash", nullable = false, unique = true, length = 64)
    private String tokenHash;

    /** Comma-separated. */
    @Column(nullable = false, length = 200)
    private String scopes;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "expires_at")
    private Instant expiresAt;

    protected StoredToken() {
    }

    protected StoredToken(String name, String tokenHash, Collection<String> scopes, Instant expiresAt) {
        this.name = name;
        this.tokenHash = tokenHash;
        this.scopes = String.join(",", scopes);
        this.createdAt = Instant.now();
        this.expiresAt = expiresAt;
    }

    public Long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String tokenHash() {
        return tokenHash;
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

    public Instant expiresAt() {
        return expiresAt;
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** Whether a request presenting this token at {@code now} is let in: not revoked, not expired. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    void revokeAt(Instant when) {
        revokedAt = when;
    }

    void usedAt(Instant when) {
        lastUsedAt = when;
    }
}
