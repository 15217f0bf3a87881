package dev.procurator.cache.path;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;

/** The cache's paths for the API and dashboard (the push path writes them with plain JDBC: {@link PathService}). */
public interface PathRecordStore extends JpaRepository<PathRecord, Long> {

    Optional<PathRecord> findByCacheIdAndStoreHash(long cacheId, String storeHash);

    /** The path, its row locked until the transaction ends: an eviction deciding on it waits for that. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    Optional<PathRecord> findLockedByCacheIdAndStoreHash(long cacheId, String storeHash);

    List<PathRecord> findByCacheIdAndStoreHashIn(long cacheId, Collection<String> storeHashes);

    List<PathRecord> findByCacheIdOrderByCreatedAtDesc(long cacheId, Pageable page);

    List<PathRecord> findByCacheIdAndStorePathContainingOrderByStorePathAsc(long cacheId, String text, Pageable page);

    long countByCacheId(long cacheId);

    long countByNarFileId(long narFileId);
}
