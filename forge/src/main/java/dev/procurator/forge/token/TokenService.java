package dev.procurator.forge.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.TokenResolver;
import dev.procurator.common.auth.Tokens;
import dev.procurator.common.error.ApiException;
import dev.procurator.forge.user.User;

/** Issues, lists and revokes personal access tokens, and resolves presented tokens for the auth filter. */
@Service
public class TokenService implements TokenResolver {

    /** A token shown exactly once: the stored record and the secret itself. */
    public record Issued(AccessToken record, String token) {
    }

    private static final Logger log = LoggerFactory.getLogger(TokenService.class);
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final AccessTokenStore tokens;

    TokenService(AccessTokenStore tokens) {
        this.tokens = tokens;
    }

    @Transactional
    public Issued issue(User user, String name, Set<String> scopes) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw ApiException.badRequest("invalid_token_name", "A token needs a name of 1-100 characters.");
        }
        String token = Tokens.generate();
        AccessToken saved = tokens.save(new AccessToken(user, name.strip(), Tokens.hash(token), scopes));
        log.info("token issued id={} user={} scopes={}", saved.id(), user.name(), scopes);
        return new Issued(saved, token);
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
            token.revoke();
            log.info("token revoked id={} user={}", id, user.name());
        }
        return token;
    }

    @Override
    public Optional<Caller> resolve(String token) {
        if (token == null || !token.startsWith(Tokens.PREFIX)) {
            return Optional.empty();
        }
        return tokens.findByHash(Tokens.hash(token)).filter(t -> !t.revoked()).map(t -> {
            Instant now = Instant.now();
            if (t.lastUsedAt() == null || t.lastUsedAt().isBefore(now.minus(TOUCH_EVERY))) {
                tokens.touch(t.id(), now);
            }
            Set<String> scopes = t.scopes();
            // Site-admin powers need both a site-admin account and a token scoped for administration.
            return new Caller(t.user().name(), scopes, t.user().siteAdmin() && scopes.contains(Scopes.ADMIN));
        });
    }
}
