package dev.procurator.cache.path;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface PathRecordRepository extends JpaRepository<PathRecord, Long> {

    Optional<PathRecord> findByCacheIdAndStoreHash(long cacheId, String storeHash);

    List<PathRecord> findByCacheIdAndStoreHashIn(long cacheId, Collection<String> storeHashes);

    List<PathRecord> findByCacheIdOrderByCreatedAtDesc(long cacheId, Pageable page);

    List<PathRecord> findByCacheIdAndStorePathContainingOrderByStorePathAsc(long cacheId, String text, Pageable page);

    long countByCacheId(long cacheId);

    long countByNarFileId(long narFileId);
}
