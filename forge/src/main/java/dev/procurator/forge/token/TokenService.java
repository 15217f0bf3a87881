package dev.procurator.forge.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.TokenResolver;
import dev.procurator.common.error.ApiException;
import dev.procurator.common.token.TokenRegistry;
import dev.procurator.forge.user.User;

/**
 * Issues, lists and revokes personal access tokens, and resolves presented tokens for the auth filter, through
 * common's {@link TokenRegistry} (hashing, expiry, revocation, the lookup cache).
 */
@Service
public class TokenService implements TokenResolver {

    private static final Logger log = LoggerFactory.getLogger(TokenService.class);

    private final AccessTokenStore tokens;
    private final TokenRegistry<AccessToken> registry;

    TokenService(AccessTokenStore tokens,
                 @Qualifier("applicationTaskExecutor") Executor touches) {
        this.tokens = tokens;
        this.registry = new TokenRegistry<>(tokens, touches);
    }

    @Transactional
    public TokenRegistry.Issued<AccessToken> issue(User user, String name, Set<String> scopes, Instant expiresAt) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw ApiException.badRequest("invalid_token_name", "A token needs a name of 1-100 characters.");
        }
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw ApiException.badRequest("invalid_expiry", "expiresAt must be in the future.");
        }
        var issued = registry.issue(hash -> new AccessToken(user, name.strip(), hash, scopes, expiresAt));
        log.info("token issued id={} user={} scopes={} expires={}", issued.token().id(), user.name(), scopes,
                expiresAt);
        return issued;
    }

    public List<AccessToken> of(User user) {
        return tokens.findByUserIdOrderById(user.id());
    }

    @Transactional
    public AccessToken revoke(User user, long id) {
        AccessToken token = tokens.findById(id)
                .filter(t -> t.user().id().equals(user.id()))
                .orElseThrow(() -> ApiException.notFound("User " + user.name() + " has no token " + id + "."));
        if (!token.revoked()) {
            log.info("token revoked id={} user={}", id, user.name());
        }
        return registry.revoke(token);
    }

    @Override
    public Optional<Caller> resolve(String token) {
        return registry.lookup(token).map(t -> {
            Set<String> scopes = t.scopes();
            // Site-admin powers need both a site-admin account and a token scoped for administration.
            return new Caller(t.user().name(), scopes, t.user().siteAdmin() && scopes.contains(Scopes.ADMIN));
        });
    }
}
