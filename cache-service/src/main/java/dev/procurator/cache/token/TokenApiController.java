package dev.procurator.cache.token;

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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.cache.binarycache.CacheRegistry;

/** A cache's tokens, {@code /api/v1/caches/<cache>/tokens}, managed with an admin token of that cache. */
@RestController
@RequestMapping("/api/v1/caches/{name}/tokens")
class TokenApiController {

    record CreateToken(String name, String scope, Instant expiresAt) {
    }

    record TokenInfo(long id, String name, String scope, Instant createdAt, Instant lastUsedAt, Instant expiresAt,
                     String token) {
        static TokenInfo of(CacheToken t, String secret) {
            return new TokenInfo(t.id(), t.name(), t.level().scope(), t.createdAt(), t.lastUsedAt(), t.expiresAt(),
                    secret);
        }
    }

    private final CacheRegistry caches;
    private final CacheAccess access;
    private final TokenService tokens;

    TokenApiController(CacheRegistry caches, CacheAccess access, TokenService tokens) {
        this.caches = caches;
        this.access = access;
        this.tokens = tokens;
    }

    @GetMapping
    List<TokenInfo> list(HttpServletRequest request, @PathVariable String name) {
        return tokens.list(administered(request, name)).stream().map(t -> TokenInfo.of(t, null)).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TokenInfo create(HttpServletRequest request, @PathVariable String name, @RequestBody CreateToken body) {
        var issued = tokens.issue(administered(request, name), body.name(), body.scope(), body.expiresAt());
        return TokenInfo.of(issued.token(), issued.secret());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(HttpServletRequest request, @PathVariable String name, @PathVariable long id) {
        tokens.revoke(administered(request, name), id);
    }

    private CacheRef administered(HttpServletRequest request, String name) {
        CacheRef cache = caches.require(name);
        access.require(request, cache, AccessLevel.ADMIN);
        return cache;
    }
}
