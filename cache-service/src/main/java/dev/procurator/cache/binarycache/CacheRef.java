package dev.procurator.cache.binarycache;

import dev.procurator.cache.nix.SigningKey;

/** What the hot request path needs to know about a cache, held in memory by {@link CacheRegistry}. */
public record CacheRef(long id, String name, boolean publicRead, long maxSizeBytes, SigningKey key) {

    static CacheRef of(BinaryCache cache) {
        return new CacheRef(cache.getId(), cache.getName(), cache.isPublicRead(), cache.getMaxSizeBytes(),
                SigningKey.parseSecret(cache.getSecretKey()));
    }

    /** Whether this is still what the database says of the cache (its name and key never change). */
    boolean describes(BinaryCache cache) {
        return id == cache.getId() && publicRead == cache.isPublicRead() && maxSizeBytes == cache.getMaxSizeBytes();
    }

    public String publicKey() {
        return key.publicText();
    }
}
