package dev.procurator.cache.path;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.springframework.stereotype.Component;

/**
 * Keeps narinfo uploads (shared) and eviction (exclusive) of one cache apart, so an upload never commits a reference
 * to a path that eviction is deleting in the same moment. Per instance: see the README on running several.
 */
@Component
public class CacheLocks {

    private final Map<Long, ReentrantReadWriteLock> locks = new ConcurrentHashMap<>();

    public ReentrantReadWriteLock of(long cacheId) {
        return locks.computeIfAbsent(cacheId, id -> new ReentrantReadWriteLock());
    }

    /** Whether eviction holds the cache right now (an upload would wait for it). */
    public boolean evicting(long cacheId) {
        return of(cacheId).isWriteLocked();
    }
}
