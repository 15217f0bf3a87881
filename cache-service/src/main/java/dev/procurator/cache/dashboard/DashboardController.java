package dev.procurator.cache.dashboard;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.cache.binarycache.CacheRegistry;
import dev.procurator.cache.gc.Evictor;
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

    /** One row of the caches table. */
    record CacheRow(String name, boolean isPublic, long usageBytes, long maxSizeBytes, long paths, long hits,
                    long misses, String publicKey, boolean readable) {
        public Integer usagePercent() {
            return maxSizeBytes <= 0 ? null : (int) Math.min(100, Math.round(100.0 * usageBytes / maxSizeBytes));
        }

        public Integer hitPercent() {
            return hits + misses == 0 ? null : (int) Math.round(100.0 * hits / (hits + misses));
        }
    }

    private final CacheRegistry caches;
    private final CacheAccess access;
    private final Evictor evictor;
    private final PathQueries queries;
    private final PinService pins;
    private final CacheMetrics metrics;
    private final ProcuratorProperties properties;

    DashboardController(CacheRegistry caches, CacheAccess access, Evictor evictor, PathQueries queries, PinService pins,
                        CacheMetrics metrics, ProcuratorProperties properties) {
        this.caches = caches;
        this.access = access;
        this.evictor = evictor;
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
            rows.add(new CacheRow(ref.name(), ref.publicRead(), evictor.usage(ref.id()), ref.maxSizeBytes(),
                    queries.count(ref), (long) metrics.value("procurator.cache.hits", ref.name()),
                    (long) metrics.value("procurator.cache.misses", ref.name()), ref.publicKey(),
                    access.canRead(caller, ref)));
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
            model.addAttribute("recent", queries.recent(selected, 20));
            model.addAttribute("results", q == null || q.isBlank() ? null : queries.search(selected, q, 50));
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
        model.addAttribute("cache", ref.name());
        model.addAttribute("closure", queries.closure(ref, path));
        return "closure";
    }
}
