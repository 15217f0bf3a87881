package dev.procurator.cache.token;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import dev.procurator.cache.binarycache.BinaryCache;
import dev.procurator.common.token.StoredToken;

/**
 * A token for one cache with one access level (common's token model): only its hash is stored. Its one scope is the
 * level's name, kept in the cache's {@code scope} column.
 */
@Entity
@Table(name = "cache_token")
@AttributeOverride(name = "scopes", column = @Column(name = "scope", nullable = false, length = 8))
public class CacheToken extends StoredToken {

    /** Loaded with the token, so a lookup served from the registry's cache names its cache without a query. */
    @ManyToOne(optional = false)
    @JoinColumn(name = "cache_id")
    private BinaryCache cache;

    protected CacheToken() {
    }

    CacheToken(BinaryCache cache, String name, String tokenHash, AccessLevel level, Instant expiresAt) {
        super(name, tokenHash, List.of(level.scope()), expiresAt);
        this.cache = cache;
    }

    public BinaryCache cache() {
        return cache;
    }

    public AccessLevel level() {
        return AccessLevel.of(scopes().iterator().next());
    }
}
