package dev.procurator.cache.binarycache;

import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.cache.metrics.CacheMetrics;
import dev.procurator.cache.path.PathQueries;
import dev.procurator.cache.token.AccessLevel;
import dev.procurator.cache.token.CacheAccess;
import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.Callers;
import dev.procurator.common.config.ProcuratorProperties;

/**
 * The caches themselves: {@code /api/v1/caches} and {@code /api/v1/caches/<cache>}. Their tokens are {@code token}'s
 * API, pins and eviction {@code gc}'s, paths {@code path}'s. See the module README.
 */
@RestController
@RequestMapping("/api/v1/caches")
class CacheApiController {

    record CacheInfo(String name, @JsonProperty("public") boolean isPublic, String publicKey, String url, long maxSizeBytes, long usageBytes,
                     long paths, double hits, double misses, Instant createdAt) {
    }

    record CreateCache(String name, @JsonProperty("public") Boolean isPublic, Long maxSizeBytes) {
    }

    record UpdateCache(@JsonProperty("public") Boolean isPublic, Long maxSizeBytes) {
    }

    private final CacheRegistry caches;
    private final CacheAccess access;
    private final PathQueries queries;
    private final CacheMetrics metrics;
    private final ProcuratorProperties properties;
    private final BinaryCacheStore repository;

    CacheApiController(CacheRegistry caches, CacheAccess access, PathQueries queries,
                       CacheMetrics metrics, ProcuratorProperties properties, BinaryCacheStore repository) {
        this.caches = caches;
        this.access = access;
        this.queries = queries;
        this.metrics = metrics;
        this.properties = properties;
        this.repository = repository;
    }

    @GetMapping
    List<CacheInfo> list(HttpServletRequest request) {
        Caller caller = Callers.require(request);
        return caches.all().stream().filter(c -> access.canRead(caller, c)).map(this::info).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CacheInfo create(HttpServletRequest request, @RequestBody CreateCache body) {
        access.requirePlatformAdmin(request);
        return info(caches.create(body.name(), body.isPublic() == null || body.isPublic(),
                body.maxSizeBytes() == null ? 0 : body.maxSizeBytes()));
    }

    @GetMapping("/{name}")
    CacheInfo get(HttpServletRequest request, @PathVariable String name) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.READ);
        return info(cache);
    }

    @PatchMapping("/{name}")
    CacheInfo update(HttpServletRequest request, @PathVariable String name, @RequestBody UpdateCache body) {
        access.require(request, caches.require(name), AccessLevel.ADMIN);
        return info(caches.update(name, body.isPublic(), body.maxSizeBytes()));
    }

    private CacheInfo info(CacheRef cache) {
        var entity = repository.findById(cache.id()).orElseThrow();
        return new CacheInfo(cache.name(), cache.publicRead(), cache.publicKey(),
                properties.cacheUrl() + "/" + cache.name(), cache.maxSizeBytes(), queries.usage(cache.id()),
                queries.count(cache), metrics.value("procurator.cache.hits", cache.name()),
                metrics.value("procurator.cache.misses", cache.name()), entity.getCreatedAt());
    }
}
