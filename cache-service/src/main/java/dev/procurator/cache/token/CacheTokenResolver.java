package dev.procurator.cache.token;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Component;

import dev.procurator.cache.binarycache.BinaryCacheStore;
import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.TokenResolver;
import dev.procurator.common.auth.Tokens;

/**
 * Resolves cache tokens by hash. Resolutions are remembered briefly, since the Nix client sends its netrc
 * credentials on every one of hundreds of requests; revoking a token forgets it at once on this instance.
 */
@Component
public class CacheTokenResolver implements TokenResolver {

    private final CacheTokenRepository tokens;
    private final BinaryCacheStore caches;
    private final Cache<String, Optional<Caller>> recent = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(30)).executor(Runnable::run).build();

    public CacheTokenResolver(CacheTokenRepository tokens, BinaryCacheStore caches) {
        this.tokens = tokens;
        this.caches = caches;
    }

    @Override
    public Optional<Caller> resolve(String token) {
        return recent.get(Tokens.hash(token), this::lookup);
    }

    private Optional<Caller> lookup(String hash) {
        return tokens.findByTokenHash(hash).flatMap(token -> caches.findById(token.getCacheId()).map(cache ->
                new Caller("token:" + token.getName() + "@" + cache.getName(),
                        token.getLevel().scopesOn(cache.getName()), false)));
    }

    public void forget(String tokenHash) {
        recent.invalidate(tokenHash);
    }
}
