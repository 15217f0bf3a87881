package dev.procurator.cache.token;

import java.util.List;
import java.util.Optional;

import dev.procurator.common.token.StoredTokenStore;

public interface CacheTokenStore extends StoredTokenStore<CacheToken> {

    List<CacheToken> findByCacheIdAndRevokedAtIsNullOrderById(long cacheId);

    Optional<CacheToken> findByIdAndCacheId(long id, long cacheId);
}
