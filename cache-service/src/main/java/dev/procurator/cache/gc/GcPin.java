package dev.procurator.cache.gc;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A GC root: while it exists, the closure of its store path is never evicted. */
@Entity
@Table(name = "gc_pin")
public class GcPin {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "cache_id", nullable = false)
    private long cacheId;

    @Column(nullable = false)
    private String name;

    @Column(name = "store_hash", nullable = false)
    private String storeHash;

    @Column(name = "store_path", nullable = false)
    private String storePath;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected GcPin() {
    }

    public GcPin(long cacheId, String name, String storeHash, String storePath) {
        this.cacheId = cacheId;
        this.name = name;
        this.storeHash = storeHash;
        this.storePath = storePath;
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

    public String getStoreHash() {
        return storeHash;
    }

    public String getStorePath() {
        return storePath;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public void touch() {
        this.createdAt = Instant.now();
    }
}
