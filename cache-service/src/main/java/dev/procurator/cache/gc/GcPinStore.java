package dev.procurator.cache.gc;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface GcPinStore extends JpaRepository<GcPin, Long> {

    List<GcPin> findByCacheIdOrderByNameAscCreatedAtDesc(long cacheId);

    List<GcPin> findByCacheIdAndNameOrderByCreatedAtDescIdDesc(long cacheId, String name);

    Optional<GcPin> findByCacheIdAndNameAndStoreHash(long cacheId, String name, String storeHash);
}
