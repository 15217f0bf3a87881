package dev.procurator.cache.path;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.springframework.stereotype.Component;

/**
 * Keeps narinfo uploads (shared) and eviction (exclusive) of one cache apart, so an upload never commits a reference
 * to a path that eviction is deleting in the same moment. Per instance: see the README on running several.
 */
@Component
public class CacheLocks {

    private final Map<Long, ReadWriteLock> locks = new ConcurrentHashMap<>();

    public ReadWriteLock of(long cacheId) {
        return locks.computeIfAbsent(cacheId, id -> new ReentrantReadWriteLock());
    }
}
