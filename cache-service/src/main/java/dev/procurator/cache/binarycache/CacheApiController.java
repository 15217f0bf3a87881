package dev.procurator.cache.binarycache;

import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.cache.gc.Evictor;
import dev.procurator.cache.gc.GcPin;
import dev.procurator.cache.gc.PinService;
import dev.procurator.cache.metrics.CacheMetrics;
import dev.procurator.cache.path.PathQueries;
import dev.procurator.cache.token.AccessLevel;
import dev.procurator.cache.token.CacheAccess;
import dev.procurator.cache.token.CacheToken;
import dev.procurator.cache.token.TokenService;
import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.Callers;
import dev.procurator.common.config.ProcuratorProperties;

/** The JSON API a CLI drives the cache with: caches, tokens, pins, GC and path queries. See the module README. */
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

    record CreateToken(String name, String scope) {
    }

    record TokenInfo(long id, String name, String scope, Instant createdAt, String token) {
        static TokenInfo of(CacheToken t, String secret) {
            return new TokenInfo(t.getId(), t.getName(), t.getLevel().scope(), t.getCreatedAt(), secret);
        }
    }

    record CreatePin(String name, String storePath, Integer keep) {
    }

    record PinInfo(String name, String storePath, Instant createdAt) {
        static PinInfo of(GcPin p) {
            return new PinInfo(p.getName(), p.getStorePath(), p.getCreatedAt());
        }
    }

    private final CacheRegistry caches;
    private final CacheAccess access;
    private final TokenService tokens;
    private final PinService pins;
    private final Evictor evictor;
    private final PathQueries queries;
    private final CacheMetrics metrics;
    private final ProcuratorProperties properties;
    private final BinaryCacheRepository repository;

    CacheApiController(CacheRegistry caches, CacheAccess access, TokenService tokens, PinService pins, Evictor evictor,
                       PathQueries queries, CacheMetrics metrics, ProcuratorProperties properties,
                       BinaryCacheRepository repository) {
        this.caches = caches;
        this.access = access;
        this.tokens = tokens;
        this.pins = pins;
        this.evictor = evictor;
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

    @GetMapping("/{name}/tokens")
    List<TokenInfo> tokens(HttpServletRequest request, @PathVariable String name) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.ADMIN);
        return tokens.list(cache).stream().map(t -> TokenInfo.of(t, null)).toList();
    }

    @PostMapping("/{name}/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    TokenInfo createToken(HttpServletRequest request, @PathVariable String name, @RequestBody CreateToken body) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.ADMIN);
        TokenService.Issued issued = tokens.issue(cache, body.name(), body.scope());
        return TokenInfo.of(issued.token(), issued.secret());
    }

    @DeleteMapping("/{name}/tokens/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeToken(HttpServletRequest request, @PathVariable String name, @PathVariable long id) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.ADMIN);
        tokens.revoke(cache, id);
    }

    @GetMapping("/{name}/pins")
    List<PinInfo> pins(HttpServletRequest request, @PathVariable String name) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.READ);
        return pins.list(cache).stream().map(PinInfo::of).toList();
    }

    @PostMapping("/{name}/pins")
    @ResponseStatus(HttpStatus.CREATED)
    PinInfo pin(HttpServletRequest request, @PathVariable String name, @RequestBody CreatePin body) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.WRITE);
        return PinInfo.of(pins.pin(cache, body.name(), body.storePath(), body.keep()));
    }

    @DeleteMapping("/{name}/pins/{pin}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unpin(HttpServletRequest request, @PathVariable String name, @PathVariable String pin,
               @RequestParam(required = false) String storePath) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.WRITE);
        pins.unpin(cache, pin, storePath);
    }

    @PostMapping("/{name}/gc")
    Evictor.Result gc(HttpServletRequest request, @PathVariable String name) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.ADMIN);
        return evictor.collect(cache);
    }

    @GetMapping("/{name}/paths")
    List<PathQueries.PathSummary> paths(HttpServletRequest request, @PathVariable String name,
                                        @RequestParam(required = false) String query,
                                        @RequestParam(defaultValue = "50") int limit) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.READ);
        return queries.search(cache, query, Math.max(1, Math.min(limit, 500)));
    }

    @GetMapping("/{name}/paths/{path}")
    PathQueries.Closure path(HttpServletRequest request, @PathVariable String name, @PathVariable String path) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.READ);
        return queries.closure(cache, path);
    }

    private CacheInfo info(CacheRef cache) {
        var entity = repository.findById(cache.id()).orElseThrow();
        return new CacheInfo(cache.name(), cache.publicRead(), cache.publicKey(),
                properties.cacheUrl() + "/" + cache.name(), cache.maxSizeBytes(), evictor.usage(cache.id()),
                queries.count(cache), metrics.value("procurator.cache.hits", cache.name()),
                metrics.value("procurator.cache.misses", cache.name()), entity.getCreatedAt());
    }
}
