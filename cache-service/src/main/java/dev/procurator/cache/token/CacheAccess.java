package dev.procurator.cache.token;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.Callers;
import dev.procurator.common.error.ApiException;

/**
 * Who may do what on a cache: anyone reads a public cache; reading a private one needs a read token; writing always
 * needs a write token; managing tokens, pins and limits needs an admin token (or the platform admin).
 */
@Component
public class CacheAccess {

    public boolean canRead(Caller caller, CacheRef cache) {
        return cache.publicRead() || AccessLevel.READ.grantedTo(caller, cache.name());
    }

    /** 401 without a caller (so netrc clients retry with credentials), 403 with one that lacks the level. */
    public Caller require(HttpServletRequest request, CacheRef cache, AccessLevel level) {
        return require(Callers.current(request).orElse(null), cache, level);
    }

    /** As {@link #require(HttpServletRequest, CacheRef, AccessLevel)} for a caller found outside the servlet chain. */
    public Caller require(Caller caller, CacheRef cache, AccessLevel level) {
        if (level == AccessLevel.READ && cache.publicRead()) {
            return caller;
        }
        if (caller == null) {
            throw ApiException.unauthorized("Cache '" + cache.name() + "' needs a token with " + level.scope()
                    + " access (HTTP Basic with the token as password, or Bearer).");
        }
        if (!level.grantedTo(caller, cache.name())) {
            throw ApiException.forbidden("This token lacks " + level.scope() + " access to cache '" + cache.name() + "'.");
        }
        return caller;
    }

    /** Creating caches is the platform admin's job. */
    public Caller requirePlatformAdmin(HttpServletRequest request) {
        Caller caller = Callers.require(request);
        if (!caller.admin()) {
            throw ApiException.forbidden("Only the platform admin may do this.");
        }
        return caller;
    }
}
