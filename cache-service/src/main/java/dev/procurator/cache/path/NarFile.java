package dev.procurator.cache.path;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A stored NAR file with the hashes measured while it was received. */
@Entity
@Table(name = "nar_file")
public class NarFile {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "cache_id", nullable = false)
    private long cacheId;

    @Column(name = "file_name", nullable = false)
    private String fileName;

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

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected NarFile() {
    }

    public NarFile(long cacheId, String fileName, String compression, String fileHash, long fileSize, String narHash,
                   long narSize) {
        this.cacheId = cacheId;
        this.fileName = fileName;
        this.compression = compression;
        this.fileHash = fileHash;
        this.fileSize = fileSize;
        this.narHash = narHash;
        this.narSize = narSize;
        this.createdAt = Instant.now();
    }

    public Long getId() {
        return id;
    }

    public long getCacheId() {
        return cacheId;
    }

    public String getFileName() {
        return fileName;
    }

    public String getCompression() {
        return compression;
    }

    public String getFileHash() {
        return fileHash;
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

    public Instant getCreatedAt() {
        return createdAt;
    }
}
