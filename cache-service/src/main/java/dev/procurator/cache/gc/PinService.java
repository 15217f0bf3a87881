package dev.procurator.cache.gc;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.cache.nix.StorePath;
import dev.procurator.cache.path.PathRecord;
import dev.procurator.cache.path.PathRecordStore;
import dev.procurator.common.error.ApiException;

/**
 * GC roots. The platform pins the closure of each deployed generation under a name (e.g. the VM), keeping the last
 * N per name, so rollbacks stay substitutable while older generations become evictable.
 */
@Service
public class PinService {

    private static final Logger log = LoggerFactory.getLogger(PinService.class);

    private final GcPinStore pins;
    private final PathRecordStore paths;

    public PinService(GcPinStore pins, PathRecordStore paths) {
        this.pins = pins;
        this.paths = paths;
    }

    public List<GcPin> list(CacheRef cache) {
        return pins.findByCacheIdOrderByNameAscCreatedAtDesc(cache.id());
    }

    /** Pins {@code storePath} under {@code name}, then drops all but the newest {@code keep} pins of that name. */
    @Transactional
    public GcPin pin(CacheRef cache, String name, String storePath, Integer keep) {
        if (name == null || !name.matches("[A-Za-z0-9._@:+-]{1,100}")) {
            throw ApiException.badRequest("invalid_pin_name", "A pin name is 1-100 characters of A-Z a-z 0-9 . _ @ : + -.");
        }
        if (keep != null && keep < 1) {
            throw ApiException.badRequest("invalid_keep", "keep must be at least 1.");
        }
        String hash;
        try {
            hash = StorePath.hashOf(storePath == null ? "" : storePath);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_store_path", e.getMessage());
        }
        // Locked: an eviction about to delete the path waits for this pin and keeps it, or has deleted it already.
        PathRecord path = paths.findLockedByCacheIdAndStoreHash(cache.id(), hash).orElseThrow(() ->
                ApiException.notFound("Cache '" + cache.name() + "' has no path " + storePath + ": push it before pinning."));
        GcPin pin = pins.findByCacheIdAndNameAndStoreHash(cache.id(), name, hash).orElse(null);
        if (pin == null) {
            pin = pins.save(new GcPin(cache.id(), name, hash, path.getStorePath()));
        } else {
            pin.touch();
        }
        pins.flush();
        if (keep != null) {
            List<GcPin> ofName = pins.findByCacheIdAndNameOrderByCreatedAtDescIdDesc(cache.id(), name);
            ofName.stream().skip(keep).forEach(pins::delete);
        }
        log.info("Pinned cache={} name={} path={} keep={}", cache.name(), name, path.getStorePath(), keep);
        return pin;
    }

    /** Removes the pins of {@code name} (only the one of {@code storePath} when given); returns how many. */
    @Transactional
    public int unpin(CacheRef cache, String name, String storePath) {
        List<GcPin> ofName = pins.findByCacheIdAndNameOrderByCreatedAtDescIdDesc(cache.id(), name);
        if (storePath != null && !storePath.isBlank()) {
            String hash;
            try {
                hash = StorePath.hashOf(storePath);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_store_path", e.getMessage());
            }
            ofName = ofName.stream().filter(p -> p.getStoreHash().equals(hash)).toList();
        }
        if (ofName.isEmpty()) {
            throw ApiException.notFound("No pin named '" + name + "'" + (storePath == null ? "" : " for " + storePath) + ".");
        }
        pins.deleteAll(ofName);
        log.info("Unpinned cache={} name={} pins={}", cache.name(), name, ofName.size());
        return ofName.size();
    }
}
