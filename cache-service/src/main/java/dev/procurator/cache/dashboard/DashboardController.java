package dev.procurator.cache.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.cache.binarycache.CacheRegistry;
import dev.procurator.cache.gc.PinService;
import dev.procurator.cache.metrics.CacheMetrics;
import dev.procurator.cache.path.PathQueries;
import dev.procurator.cache.token.CacheAccess;
import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.Callers;
import dev.procurator.common.config.ProcuratorProperties;
import dev.procurator.common.error.ApiException;

/**
 * The cache dashboard at {@code /}: every cache with its usage against its limit and hit ratio; for the selected
 * cache, its hit ratio over the last hour, recent pushes, a search by store path or hash, and pins; and a closure view
 * of one path. Paths of a private cache are shown only to a caller who may read it.
 */
@Controller
class DashboardController {

    /** One row of the caches table; sizes as people read them. */
    record CacheRow(String name, boolean isPublic, String usage, String limit, Integer usagePercent, long paths,
                    long hits, long misses, Integer hitPercent) {
        static CacheRow of(CacheRef cache, long usageBytes, long paths, long hits, long misses) {
            long max = cache.maxSizeBytes();
            return new CacheRow(cache.name(), cache.publicRead(), Sizes.human(usageBytes),
                    max > 0 ? Sizes.human(max) : null,
                    max > 0 ? (int) Math.min(100, Math.round(100.0 * usageBytes / max)) : null, paths, hits, misses,
                    hits + misses == 0 ? null : (int) Math.round(100.0 * hits / (hits + misses)));
        }
    }

    /** One path in a table; sizes as people read them. */
    record PathRow(String storePath, String hash, String narSize, String fileSize, String compression,
                   List<String> references, Instant createdAt, Instant lastAccess) {
        static PathRow of(PathQueries.PathSummary p) {
            return new PathRow(p.storePath(), p.hash(), Sizes.human(p.narSize()), Sizes.human(p.fileSize()),
                    p.compression(), p.references(), p.createdAt(), p.lastAccess());
        }

        static List<PathRow> of(List<PathQueries.PathSummary> paths) {
            return paths.stream().map(PathRow::of).toList();
        }
    }

    private final CacheRegistry caches;
    private final CacheAccess access;
    private final PathQueries queries;
    private final PinService pins;
    private final CacheMetrics metrics;
    private final ProcuratorProperties properties;

    DashboardController(CacheRegistry caches, CacheAccess access, PathQueries queries, PinService pins,
                        CacheMetrics metrics, ProcuratorProperties properties) {
        this.caches = caches;
        this.access = access;
        this.queries = queries;
        this.pins = pins;
        this.metrics = metrics;
        this.properties = properties;
    }

    @GetMapping("/")
    String dashboard(HttpServletRequest request, Model model, @RequestParam(required = false) String cache,
                     @RequestParam(required = false) String q) {
        Caller caller = Callers.current(request).orElse(null);
        List<CacheRow> rows = new ArrayList<>();
        for (CacheRef ref : caches.all()) {
            rows.add(CacheRow.of(ref, queries.usage(ref.id()), queries.count(ref),
                    (long) metrics.value("procurator.cache.hits", ref.name()),
                    (long) metrics.value("procurator.cache.misses", ref.name())));
        }
        model.addAttribute("caches", rows);
        CacheRef selected = caches.find(cache == null || cache.isBlank() ? CacheRegistry.DEFAULT_CACHE : cache)
                .orElseThrow(() -> ApiException.notFound("No cache named '" + cache + "'."));
        model.addAttribute("selected", selected.name());
        model.addAttribute("cacheUrl", properties.cacheUrl() + "/" + selected.name());
        model.addAttribute("publicKey", selected.publicKey());
        model.addAttribute("readable", access.canRead(caller, selected));
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("hitHistory", metrics.hitRatioLastHour(selected.name()));
        if (access.canRead(caller, selected)) {
            model.addAttribute("recent", PathRow.of(queries.recent(selected, 20)));
            model.addAttribute("results", q == null || q.isBlank() ? null : PathRow.of(queries.search(selected, q, 50)));
            model.addAttribute("pins", pins.list(selected));
        }
        return "dashboard";
    }

    @GetMapping("/closure")
    String closure(HttpServletRequest request, Model model, @RequestParam String cache, @RequestParam String path) {
        CacheRef ref = caches.require(cache);
        if (!access.canRead(Callers.current(request).orElse(null), ref)) {
            throw ApiException.unauthorized("Cache '" + cache + "' is private: its paths need a read token.");
        }
        PathQueries.Closure closure = queries.closure(ref, path);
        model.addAttribute("cache", ref.name());
        model.addAttribute("root", PathRow.of(closure.root()));
        model.addAttribute("deriver", closure.root().deriver());
        model.addAttribute("paths", PathRow.of(closure.paths()));
        model.addAttribute("narSize", Sizes.human(closure.narSize()));
        model.addAttribute("fileSize", Sizes.human(closure.fileSize()));
        model.addAttribute("missing", closure.missing());
        return "closure";
    }
}
