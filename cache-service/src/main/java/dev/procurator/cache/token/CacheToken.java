package dev.procurator.cache.token;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A token for one cache with one access level; only its hash is stored. */
@Entity
@Table(name = "cache_token")
public class CacheToken {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "cache_id", nullable = false)
    private long cacheId;

    @Column(nullable = false)
    private String name;

    @Column(name = "token_hash", nullable = false, unique = true)
    private String tokenHash;

    @Column(nullable = false)
    private String scope;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected CacheToken() {
    }

    public CacheToken(long cacheId, String name, String tokenHash, AccessLevel level) {
        this.cacheId = cacheId;
        this.name = name;
        this.tokenHash = tokenHash;
        this.scope = level.scope();
        this.createdAt = Instant.now();
    }

    public Long getId() {
        return id;
    }

    public long getCacheId() {
        return cacheId;
    }

    public String getName() {
        return name;
    }

    public String getTokenHash() {
        return tokenHash;
    }

    public AccessLevel getLevel() {
        return AccessLevel.of(scope);
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
