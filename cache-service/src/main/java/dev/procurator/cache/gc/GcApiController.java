package dev.procurator.cache.gc;

import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.cache.binarycache.CacheRegistry;
import dev.procurator.cache.token.AccessLevel;
import dev.procurator.cache.token.CacheAccess;

/** GC roots and eviction of a cache: {@code /api/v1/caches/<cache>/pins} and {@code .../gc}. See the module README. */
@RestController
@RequestMapping("/api/v1/caches/{name}")
class GcApiController {

    record CreatePin(String name, String storePath, Integer keep) {
    }

    record PinInfo(String name, String storePath, Instant createdAt) {
        static PinInfo of(GcPin p) {
            return new PinInfo(p.getName(), p.getStorePath(), p.getCreatedAt());
        }
    }

    private final CacheRegistry caches;
    private final CacheAccess access;
    private final PinService pins;
    private final Evictor evictor;

    GcApiController(CacheRegistry caches, CacheAccess access, PinService pins, Evictor evictor) {
        this.caches = caches;
        this.access = access;
        this.pins = pins;
        this.evictor = evictor;
    }

    @GetMapping("/pins")
    List<PinInfo> pins(HttpServletRequest request, @PathVariable String name) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.READ);
        return pins.list(cache).stream().map(PinInfo::of).toList();
    }

    @PostMapping("/pins")
    @ResponseStatus(HttpStatus.CREATED)
    PinInfo pin(HttpServletRequest request, @PathVariable String name, @RequestBody CreatePin body) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.WRITE);
        return PinInfo.of(pins.pin(cache, body.name(), body.storePath(), body.keep()));
    }

    @DeleteMapping("/pins/{pin}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unpin(HttpServletRequest request, @PathVariable String name, @PathVariable String pin,
               @RequestParam(required = false) String storePath) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.WRITE);
        pins.unpin(cache, pin, storePath);
    }

    @PostMapping("/gc")
    Evictor.Result gc(HttpServletRequest request, @PathVariable String name) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.ADMIN);
        return evictor.collect(cache);
    }
}
