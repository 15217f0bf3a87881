package dev.procurator.cache.token;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface CacheTokenRepository extends JpaRepository<CacheToken, Long> {

    Optional<CacheToken> findByTokenHash(String tokenHash);

    List<CacheToken> findByCacheIdOrderByIdAsc(long cacheId);

    Optional<CacheToken> findByIdAndCacheId(long id, long cacheId);
}
