package dev.procurator.cache.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.procurator.cache.binarycache.BinaryCacheStore;
import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.TokenResolver;
import dev.procurator.common.error.ApiException;
import dev.procurator.common.token.TokenRegistry;

/**
 * Issues, lists and revokes cache tokens, and resolves presented ones for the auth filter and the Nix protocol,
 * through common's {@link TokenRegistry} (hashing, expiry, revocation, the lookup cache the Nix client's hundreds of
 * requests a copy need). A token is shown once, at creation.
 */
@Service
public class TokenService implements TokenResolver {

    private static final Logger log = LoggerFactory.getLogger(TokenService.class);

    private final CacheTokenStore tokens;
    private final BinaryCacheStore caches;
    private final TokenRegistry<CacheToken> registry;

    TokenService(CacheTokenStore tokens, BinaryCacheStore caches,
                 @Qualifier("applicationTaskExecutor") Executor touches) {
        this.tokens = tokens;
        this.caches = caches;
        this.registry = new TokenRegistry<>(tokens, touches);
    }

    @Transactional
    public TokenRegistry.Issued<CacheToken> issue(CacheRef cache, String name, String scope, Instant expiresAt) {
        if (name == null || !name.matches("[A-Za-z0-9._@:+-]{1,100}")) {
            throw ApiException.badRequest("invalid_token_name",
                    "A token name is 1-100 characters of A-Z a-z 0-9 . _ @ : + -.");
        }
        AccessLevel level = AccessLevel.of(scope == null ? "" : scope);
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw ApiException.badRequest("invalid_expiry", "expiresAt must be in the future.");
        }
        var issued = registry.issue(hash ->
                new CacheToken(caches.getReferenceById(cache.id()), name, hash, level, expiresAt));
        log.info("Issued token cache={} id={} name={} scope={} expires={}", cache.name(), issued.token().id(), name,
                level.scope(), expiresAt);
        return issued;
    }

    /** The cache's tokens that were not revoked (expired ones are listed, with their expiry). */
    public List<CacheToken> list(CacheRef cache) {
        return tokens.findByCacheIdAndRevokedAtIsNullOrderById(cache.id());
    }

    /** Revokes a token of the cache; it is refused from now on. Revoking a revoked token again changes nothing. */
    @Transactional
    public CacheToken revoke(CacheRef cache, long id) {
        CacheToken token = tokens.findByIdAndCacheId(id, cache.id())
                .orElseThrow(() -> ApiException.notFound("Cache '" + cache.name() + "' has no token " + id + "."));
        if (!token.revoked()) {
            log.info("Revoked token cache={} id={} name={}", cache.name(), id, token.name());
        }
        return registry.revoke(token);
    }

    @Override
    public Optional<Caller> resolve(String secret) {
        return registry.lookup(secret).map(token -> {
            String cache = token.cache().getName();
            return new Caller("token:" + token.name() + "@" + cache, token.level().scopesOn(cache), false);
        });
    }
}
