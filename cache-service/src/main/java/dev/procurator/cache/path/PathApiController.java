package dev.procurator.cache.path;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.cache.binarycache.CacheRegistry;
import dev.procurator.cache.token.AccessLevel;
import dev.procurator.cache.token.CacheAccess;

/** A cache's paths: recent pushes, search, and a path's closure. See the module README. */
@RestController
@RequestMapping("/api/v1/caches/{name}/paths")
class PathApiController {

    private final CacheRegistry caches;
    private final CacheAccess access;
    private final PathQueries queries;

    PathApiController(CacheRegistry caches, CacheAccess access, PathQueries queries) {
        this.caches = caches;
        this.access = access;
        this.queries = queries;
    }

    @GetMapping
    List<PathQueries.PathSummary> paths(HttpServletRequest request, @PathVariable String name,
                                        @RequestParam(required = false) String query,
                                        @RequestParam(defaultValue = "50") int limit) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.READ);
        return queries.search(cache, query, Math.max(1, Math.min(limit, 500)));
    }

    @GetMapping("/{path}")
    PathQueries.Closure path(HttpServletRequest request, @PathVariable String name, @PathVariable String path) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.READ);
        return queries.closure(cache, path);
    }
}
