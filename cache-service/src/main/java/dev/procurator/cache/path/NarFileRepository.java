package dev.procurator.cache.path;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface NarFileRepository extends JpaRepository<NarFile, Long> {

    Optional<NarFile> findByCacheIdAndFileName(long cacheId, String fileName);
}
