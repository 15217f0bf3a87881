package dev.procurator.cache.path;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.nix.NarInfo;
import dev.procurator.cache.nix.StorePath;

/** A store path the cache serves: the narinfo fields, its NAR file and when it was last read. */
@Entity
@Table(name = "narinfo")
public class PathRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "cache_id", nullable = false)
    private long cacheId;

    @Column(name = "store_hash", nullable = false)
    private String storeHash;

    @Column(name = "store_path", nullable = false)
    private String storePath;

    @Column(name = "nar_file_id", nullable = false)
    private long narFileId;

    @Column(nullable = false)
    private String url;

    @Column(nullable = false)
    private String compression;

    @Column(name = "file_hash", nullable = false)
    private String fileHash;

    @Column(name = "file_size", nullable = false)
    private long fileSize;

    @Column(name = "nar_hash", nullable = false)
    private String narHash;

    @Column(name = "nar_size", nullable = false)
    private long narSize;

    /** Reference base names, space-separated as in the narinfo. */
    @Column(nullable = false)
    private String refs;

    private String deriver;

    private String ca;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "last_access", nullable = false)
    private Instant lastAccess;

    protected PathRecord() {
    }

    public PathRecord(long cacheId, NarInfo info, long narFileId) {
        this.cacheId = cacheId;
        this.storeHash = info.storePath().hash();
        this.storePath = info.storePath().fullPath();
        this.narFileId = narFileId;
        this.url = info.url();
        this.compression = info.compression().narinfoName();
        this.fileHash = info.fileHash();
        this.fileSize = info.fileSize();
        this.narHash = info.narHash();
        this.narSize = info.narSize();
        this.refs = String.join(" ", info.references());
        this.deriver = info.deriver();
        this.ca = info.ca();
        this.createdAt = Instant.now();
        this.lastAccess = createdAt;
    }

    public NarInfo toNarInfo() {
        return new NarInfo(StorePath.parse(storePath), url, Compression.fromNarinfoName(compression).orElseThrow(),
                fileHash, fileSize, narHash, narSize, references(), deriver, ca);
    }

    public List<String> references() {
        return refs.isEmpty() ? List.of() : Arrays.asList(refs.split(" "));
    }

    public Long getId() {
        return id;
    }

    public long getCacheId() {
        return cacheId;
    }

    public String getStoreHash() {
        return storeHash;
    }

    public String getStorePath() {
        return storePath;
    }

    public long getNarFileId() {
        return narFileId;
    }

    public String getUrl() {
        return url;
    }

    public String getCompression() {
        return compression;
    }

    public long getFileSize() {
        return fileSize;
    }

    public String getNarHash() {
        return narHash;
    }

    public long getNarSize() {
        return narSize;
    }

    public String getDeriver() {
        return deriver;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getLastAccess() {
        return lastAccess;
    }
}
