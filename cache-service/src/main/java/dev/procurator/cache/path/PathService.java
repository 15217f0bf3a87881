package dev.procurator.cache.path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.procurator.cache.CacheProperties;
import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.cache.metrics.CacheMetrics;
import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.nix.NarInfo;
import dev.procurator.cache.nix.NixHash;
import dev.procurator.cache.nix.StorePath;
import dev.procurator.cache.storage.BlobStore;
import dev.procurator.common.error.ApiException;

/**
 * Stores NAR files and narinfos with the integrity rules of the cache: a NAR is measured while it streams in and
 * kept only if its bytes match its content-addressed name; a narinfo is accepted only when its NAR is stored with
 * the same hashes and sizes and all its references are present, in one transaction. Serves signed narinfos and NAR
 * file facts from memory.
 *
 * <p>The {@code narinfo} table is mapped by JPA ({@link PathRecord}, read by the API and dashboard) but written here
 * with plain JDBC: this is the push path, whose time is the sum of its requests' latencies, and one
 * {@code INSERT ... SELECT} without a Hibernate session was measured faster per narinfo (bench/RESULTS.md). Safe
 * against an eviction on any instance without a lock of this process: the insert locks its NAR's row, and the
 * database refuses reference edges to paths that are gone ({@code V3__several_instances.sql}).
 */
@Service
public class PathService {

    /** {@code <FileHash base32>.nar[.xz|.zst]}: nothing else is a NAR file name (no slashes, no dots beyond these). */
    public static final Pattern NAR_FILE_NAME = Pattern.compile("([0-9a-df-np-sv-z]{52})\\.nar(\\.xz|\\.zst)?");

    private static final Logger log = LoggerFactory.getLogger(PathService.class);

    private final BlobStore blobs;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final CacheMetrics metrics;
    private final Cache<NarinfoKey, ServedNarinfo> signed;
    private final Cache<NarinfoKey, StoredNar> knownNarFiles;

    record NarinfoKey(long cacheId, String key) {
    }

    /** A stored NAR file as measured on arrival: what serving it and accepting its narinfo need to know. */
    public record StoredNar(String fileHash, long fileSize, String narHash, long narSize) {
    }

    public PathService(BlobStore blobs, JdbcClient jdbc, DataSource dataSource, CacheMetrics metrics,
                       CacheProperties properties) {
        this.blobs = blobs;
        this.jdbc = jdbc;
        // Plain JDBC transactions: the narinfo transaction uses no JPA, so it need not open a Hibernate session
        // (JpaTransactionManager does, for every narinfo of every push).
        this.transactions = new TransactionTemplate(new JdbcTransactionManager(dataSource));
        this.metrics = metrics;
        // Maintenance on the calling thread: handing it to another thread costs a wake-up per write, which on a busy
        // 2-core machine is worth more than the work itself.
        this.signed = Caffeine.newBuilder().maximumSize(properties.narinfoCacheEntries()).executor(Runnable::run).build();
        this.knownNarFiles = Caffeine.newBuilder().maximumSize(properties.narinfoCacheEntries())
                .executor(Runnable::run).build();
    }

    public static String blobKey(String cacheName, String fileName) {
        return cacheName + "/" + fileName;
    }

    public static Compression requireNarFileName(String fileName) {
        if (!NAR_FILE_NAME.matcher(fileName).matches()) {
            throw ApiException.badRequest("invalid_nar_name",
                    "A NAR file is named <52-character base32 FileHash>.nar, .nar.xz or .nar.zst.");
        }
        return Compression.fromFileName(fileName).orElseThrow();
    }

    // ---- reads (the hot path) ----

    /** The signed narinfo of a store hash, from memory when it was served or stored recently. */
    public Optional<ServedNarinfo> narinfo(CacheRef cache, String storeHash) {
        NarinfoKey key = new NarinfoKey(cache.id(), storeHash);
        ServedNarinfo served = signed.getIfPresent(key);
        if (served == null) {
            // Plain JDBC, no transaction: a miss is asked once per path of every `nix copy --to`.
            served = jdbc.sql("SELECT id, store_path, url, compression, file_hash, file_size, nar_hash, nar_size, refs,"
                            + " deriver, ca FROM narinfo WHERE cache_id = ? AND store_hash = ?")
                    .params(cache.id(), storeHash)
                    .query((rs, i) -> sign(cache, rs.getLong(1), new NarInfo(StorePath.parse(rs.getString(2)),
                            rs.getString(3), Compression.fromNarinfoName(rs.getString(4)).orElseThrow(),
                            rs.getString(5), rs.getLong(6), rs.getString(7), rs.getLong(8),
                            rs.getString(9).isEmpty() ? List.of() : List.of(rs.getString(9).split(" ")),
                            rs.getString(10), rs.getString(11))))
                    .optional().orElse(null);
            if (served != null) {
                signed.put(key, served);
            }
        }
        return Optional.ofNullable(served);
    }

    public Optional<StoredNar> narFile(CacheRef cache, String fileName) {
        NarinfoKey key = new NarinfoKey(cache.id(), fileName);
        StoredNar file = knownNarFiles.getIfPresent(key);
        if (file == null) {
            file = jdbc.sql("SELECT file_hash, file_size, nar_hash, nar_size FROM nar_file"
                            + " WHERE cache_id = ? AND file_name = ? AND NOT deleting")
                    .params(cache.id(), fileName)
                    .query((rs, i) -> new StoredNar(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)))
                    .optional().orElse(null);
            if (file != null) {
                knownNarFiles.put(key, file);
            }
        }
        return Optional.ofNullable(file);
    }

    /**
     * Forgets what an eviction removed (here or on another instance), so the hot path never serves it again.
     *
     * @param storeHash   the evicted path, or null when only a NAR file went
     * @param narFileName the evicted NAR file, or null when the path's file stays (another path uses it)
     */
    public void forget(long cacheId, String storeHash, String narFileName) {
        if (storeHash != null) {
            signed.invalidate(new NarinfoKey(cacheId, storeHash));
        }
        if (narFileName != null) {
            knownNarFiles.invalidate(new NarinfoKey(cacheId, narFileName));
        }
    }

    static ServedNarinfo sign(CacheRef cache, long id, NarInfo info) {
        String text = info.render() + "Sig: " + cache.key().sign(info.fingerprint()) + "\n";
        return new ServedNarinfo(id, text.getBytes(StandardCharsets.UTF_8));
    }

    // ---- writes ----

    /** Whether the cache holds this NAR file already, so that an upload of it can be answered before its body. */
    public boolean hasNarFile(CacheRef cache, String fileName) {
        return narFile(cache, fileName).isPresent();
    }

    /** A temp file to receive an upload into; it becomes visible only through {@link #commitNar}. */
    public BlobStore.TempFile newUploadFile() throws IOException {
        return blobs.newTempFile();
    }

    /**
     * Makes a received and measured NAR file visible if its bytes match its name: its row and its file, in one
     * transaction. The row comes first, so the file takes its name only once this upload owns the name: an eviction
     * deleting the same file waits for it, or finished before (see {@code gc/Evictor}). If it is refused or fails, the
     * temp file stays the caller's to delete.
     *
     * @return true if stored now, false if the cache already had it (the temp file is deleted then)
     */
    public boolean commitNar(CacheRef cache, String fileName, Path temp, NarReceiver.Measured measured)
            throws IOException {
        Compression compression = requireNarFileName(fileName);
        String expected = fileName.substring(0, 52);
        if (!NixHash.digits(measured.fileHash()).equals(expected)) {
            throw ApiException.badRequest("file_hash_mismatch", "The file's sha256 is " + measured.fileHash()
                    + ", but its name says sha256:" + expected + ".");
        }
        try {
            transactions.execute(tx -> {
                jdbc.sql("INSERT INTO nar_file (cache_id, file_name, compression, file_hash, file_size, nar_hash,"
                                + " nar_size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(cache.id(), fileName, compression.narinfoName(), measured.fileHash(),
                                measured.fileSize(), measured.narHash(), measured.narSize(),
                                java.sql.Timestamp.from(java.time.Instant.now()))
                        .update();
                try {
                    blobs.put(blobKey(cache.name(), fileName), temp);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return null;
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (DataIntegrityViolationException e) {
            // The name is taken: the same content arrived twice at once, or an eviction is deleting the file.
            boolean beingDeleted = jdbc.sql("SELECT deleting FROM nar_file WHERE cache_id = ? AND file_name = ?")
                    .params(cache.id(), fileName).query(Boolean.class).optional().orElse(true);
            if (beingDeleted) {
                throw ApiException.conflict("concurrent_change", "NAR file " + fileName + " of cache '"
                        + cache.name() + "' is being evicted right now; upload it again.");
            }
            Files.deleteIfExists(temp);
            return false;
        }
        knownNarFiles.put(new NarinfoKey(cache.id(), fileName), new StoredNar(measured.fileHash(),
                measured.fileSize(), measured.narHash(), measured.narSize()));
        metrics.stored(cache.name(), measured.fileSize());
        log.debug("Stored NAR cache={} file={} size={} narSize={}", cache.name(), fileName, measured.fileSize(),
                measured.narSize());
        return true;
    }

    /**
     * Accepts a narinfo for {@code storeHash}. Re-uploading the same path with the same content is a no-op; with
     * different content it is a 409 and the stored path stays as it was.
     *
     * @return true if stored now, false if it was already there
     */
    public boolean acceptNarinfo(CacheRef cache, String storeHash, NarInfo info) {
        if (!info.storePath().hash().equals(storeHash)) {
            throw ApiException.badRequest("store_path_mismatch", "The narinfo describes " + info.storePath()
                    + ", not the store hash " + storeHash + " it was uploaded as.");
        }
        if (!info.url().startsWith("nar/")) {
            throw ApiException.badRequest("invalid_url", "URL must be nar/<file>, as this cache stores NARs.");
        }
        String fileName = info.url().substring(4);
        Compression fileCompression = requireNarFileName(fileName);
        if (fileCompression != info.compression()) {
            throw ApiException.badRequest("compression_mismatch", "Compression " + info.compression().narinfoName()
                    + " does not match the file name " + fileName + ".");
        }
        List<String> refHashes = info.references().stream().map(ref -> ref.substring(0, 32))
                .filter(hash -> !hash.equals(storeHash)).distinct().toList();
        try {
            if (refHashes.isEmpty()) {
                insert(cache, info, fileName, refHashes); // one statement: a transaction of its own
            } else {
                transactions.executeWithoutResult(tx -> insert(cache, info, fileName, refHashes));
            }
        } catch (MissingReferences e) {
            throw missingReferences(cache, info, refHashes);
        } catch (DataIntegrityViolationException e) {
            // Stored before (a re-upload, or a concurrent upload that won the race): the same content is a no-op.
            requireSameAsStored(cache, info);
            return false;
        } catch (PessimisticLockingFailureException e) {
            // A lock timeout or deadlock against an eviction deleting this path's NAR or a reference.
            throw concurrentChange(cache, info);
        }
        // Signed on its first read, not here: a push never reads back what it uploads.
        signed.invalidate(new NarinfoKey(cache.id(), info.storePath().hash()));
        metrics.uploaded(cache.name());
        log.debug("Stored path cache={} path={} narSize={} refs={}", cache.name(), info.storePath(), info.narSize(),
                info.references().size());
        return true;
    }

    /** A reference edge the database refused: a reference is not (or no longer) in the cache. */
    private static final class MissingReferences extends RuntimeException {
        MissingReferences(Throwable cause) {
            super(null, cause, false, false);
        }
    }

    /** Inserts the path after checking its NAR and references; a path stored before violates the unique key. */
    private void insert(CacheRef cache, NarInfo info, String fileName, List<String> refHashes) {
        // Usually known from its upload a moment ago, so no query; the insert below reads the row itself.
        StoredNar nar = narFile(cache, fileName).orElseThrow(() -> narMissing(cache, info));
        List<String> mismatches = new ArrayList<>();
        if (!nar.fileHash().equals(info.fileHash())) {
            mismatches.add("FileHash is " + nar.fileHash());
        }
        if (nar.fileSize() != info.fileSize()) {
            mismatches.add("FileSize is " + nar.fileSize());
        }
        if (!nar.narHash().equals(info.narHash())) {
            mismatches.add("NarHash is " + nar.narHash());
        }
        if (nar.narSize() != info.narSize()) {
            mismatches.add("NarSize is " + nar.narSize());
        }
        if (!mismatches.isEmpty()) {
            throw ApiException.badRequest("nar_mismatch", "The narinfo does not describe the stored NAR: "
                    + String.join(", ", mismatches) + ".");
        }
        java.sql.Timestamp now = java.sql.Timestamp.from(java.time.Instant.now());
        var key = new org.springframework.jdbc.support.GeneratedKeyHolder();
        // The NAR's row is read by the insert itself, and locked until the commit: if an eviction removed it since it
        // was checked, nothing is inserted; if an eviction is about to remove it, the eviction waits for this commit
        // and then sees the path that uses it.
        var insert = jdbc.sql("INSERT INTO narinfo (cache_id, store_hash, store_path, nar_file_id, url, compression,"
                        + " file_hash, file_size, nar_hash, nar_size, refs, deriver, ca, created_at, last_access)"
                        + " SELECT ?, ?, ?, id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM nar_file"
                        + " WHERE cache_id = ? AND file_name = ? AND NOT deleting FOR UPDATE")
                .params(cache.id(), info.storePath().hash(), info.storePath().fullPath(), info.url(),
                        info.compression().narinfoName(), info.fileHash(), info.fileSize(), info.narHash(),
                        info.narSize(), String.join(" ", info.references()), info.deriver(), info.ca(), now, now,
                        cache.id(), fileName);
        // Its id is only needed for reference rows, and fetching it has a price.
        int inserted = refHashes.isEmpty() ? insert.update() : insert.update(key, "id");
        if (inserted == 0) {
            forget(cache.id(), info.storePath().hash(), fileName);
            throw narMissing(cache, info);
        }
        if (refHashes.isEmpty()) {
            return;
        }
        long id = key.getKey().longValue();
        List<Object> edges = new ArrayList<>();
        for (String refHash : refHashes) {
            edges.add(id);
            edges.add(cache.id());
            edges.add(refHash);
        }
        // The foreign key on (cache_id, ref_hash) is the reference check: one statement instead of a query and an
        // insert, and it holds against evictions on other instances too.
        try {
            jdbc.sql("INSERT INTO narinfo_reference (narinfo_id, cache_id, ref_hash) VALUES "
                    + String.join(", ", java.util.Collections.nCopies(refHashes.size(), "(?, ?, ?)")))
                    .params(edges).update();
        } catch (DataIntegrityViolationException e) {
            throw new MissingReferences(e);
        }
    }

    private static ApiException concurrentChange(CacheRef cache, NarInfo info) {
        return ApiException.conflict("concurrent_change", "Cache '" + cache.name() + "' changed while "
                + info.storePath() + " was stored; upload it again.");
    }

    private static ApiException narMissing(CacheRef cache, NarInfo info) {
        return ApiException.badRequest("nar_missing", "NAR file " + info.url().substring(4) + " is not in cache '"
                + cache.name() + "': upload it (PUT /" + cache.name() + "/" + info.url() + ") before its narinfo.");
    }

    /** Passes if the same path with the same content is stored; 409 otherwise. */
    private void requireSameAsStored(CacheRef cache, NarInfo info) {
        record Stored(String storePath, String narHash, long narSize, String refs) {
        }
        Optional<Stored> existing = jdbc.sql("SELECT store_path, nar_hash, nar_size, refs FROM narinfo"
                        + " WHERE cache_id = ? AND store_hash = ?").params(cache.id(), info.storePath().hash())
                .query((rs, i) -> new Stored(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                .optional();
        if (existing.isEmpty()) {
            // The insert failed on something else that changed meanwhile (its NAR evicted by another instance).
            throw concurrentChange(cache, info);
        }
        Stored stored = existing.get();
        if (stored.storePath().equals(info.storePath().fullPath()) && stored.narHash().equals(info.narHash())
                && stored.narSize() == info.narSize() && stored.refs().equals(String.join(" ", info.references()))) {
            return;
        }
        throw ApiException.conflict("path_exists", info.storePath() + " is already in cache '" + cache.name()
                + "' with different content (NarHash " + stored.narHash() + "); a store path never changes.");
    }

    /**
     * The answer to a narinfo whose reference edges the database refused: which references are missing.
     *
     * @param refHashes the store hashes of the path's references, itself excluded
     */
    private ApiException missingReferences(CacheRef cache, NarInfo info, List<String> refHashes) {
        Set<String> present = new java.util.HashSet<>(jdbc.sql("SELECT store_path FROM narinfo"
                        + " WHERE cache_id = :cache AND store_hash IN (:hashes)")
                .param("cache", cache.id()).param("hashes", refHashes)
                .query((rs, i) -> rs.getString(1).substring(11)).list());
        List<String> missing = info.references().stream()
                .filter(ref -> !ref.startsWith(info.storePath().hash()) && !present.contains(ref)).sorted().toList();
        if (missing.isEmpty()) {
            // Missing while it was inserted, back now (evicted and pushed again meanwhile).
            return concurrentChange(cache, info);
        }
        return ApiException.badRequest("missing_references", "Cache '" + cache.name() + "' lacks "
                + missing.size() + " reference(s) of " + info.storePath() + ", upload them first: "
                + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                + (missing.size() > 5 ? ", ..." : "") + ".");
    }
}
