package dev.procurator.cache.token;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.common.auth.Tokens;
import dev.procurator.common.error.ApiException;

/** Issues and revokes cache tokens. The token is shown once, at creation; only its hash is kept. */
@Service
public class TokenService {

    /** A freshly issued token: the only time its secret is visible. */
    public record Issued(CacheToken token, String secret) {
    }

    private static final Logger log = LoggerFactory.getLogger(TokenService.class);

    private final CacheTokenRepository tokens;
    private final CacheTokenResolver resolver;

    public TokenService(CacheTokenRepository tokens, CacheTokenResolver resolver) {
        this.tokens = tokens;
        this.resolver = resolver;
    }

    @Transactional
    public Issued issue(CacheRef cache, String name, String scope) {
        if (name == null || !name.matches("[A-Za-z0-9._@:+-]{1,100}")) {
            throw ApiException.badRequest("invalid_token_name",
                    "A token name is 1-100 characters of A-Z a-z 0-9 . _ @ : + -.");
        }
        AccessLevel level = AccessLevel.of(scope == null ? "" : scope);
        String secret = Tokens.generate();
        CacheToken token = tokens.saveAndFlush(new CacheToken(cache.id(), name, Tokens.hash(secret), level));
        log.info("Issued token cache={} id={} name={} scope={}", cache.name(), token.getId(), name, level.scope());
        return new Issued(token, secret);
    }

    public List<CacheToken> list(CacheRef cache) {
        return tokens.findByCacheIdOrderByIdAsc(cache.id());
    }

    @Transactional
    public void revoke(CacheRef cache, long id) {
        CacheToken token = tokens.findByIdAndCacheId(id, cache.id())
                .orElseThrow(() -> ApiException.notFound("Cache '" + cache.name() + "' has no token " + id + "."));
        tokens.delete(token);
        resolver.forget(token.getTokenHash());
        log.info("Revoked token cache={} id={} name={}", cache.name(), id, token.getName());
    }
}
