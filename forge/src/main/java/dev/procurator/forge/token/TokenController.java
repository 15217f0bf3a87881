package dev.procurator.forge.token;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.Callers;
import dev.procurator.common.error.ApiException;
import dev.procurator.forge.user.User;
import dev.procurator.forge.user.UserService;

/**
 * Personal access tokens. A user manages their own under {@code /api/v1/user/tokens} with an admin-scoped token;
 * the site admin manages anyone's under {@code /api/v1/users/<name>/tokens} (how the first token of a new user is made).
 */
@RestController
class TokenController {

    record CreateToken(String name, List<String> scopes, Instant expiresAt) {
    }

    record TokenView(long id, String name, String user, Set<String> scopes, Instant createdAt, Instant lastUsedAt,
                     Instant revokedAt, Instant expiresAt, String token) {
        static TokenView of(AccessToken t, String secret) {
            return new TokenView(t.id(), t.name(), t.user().name(), t.scopes(), t.createdAt(), t.lastUsedAt(),
                    t.revokedAt(), t.expiresAt(), secret);
        }
    }

    private final TokenService tokens;
    private final UserService users;

    TokenController(TokenService tokens, UserService users) {
        this.tokens = tokens;
        this.users = users;
    }

    @PostMapping("/api/v1/user/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    TokenView createOwn(HttpServletRequest request, @RequestBody CreateToken body) {
        Caller caller = Callers.requireScope(request, Scopes.ADMIN);
        return issue(users.of(caller), body);
    }

    @GetMapping("/api/v1/user/tokens")
    List<TokenView> listOwn(HttpServletRequest request) {
        return list(users.of(Callers.require(request)));
    }

    @DeleteMapping("/api/v1/user/tokens/{id}")
    TokenView revokeOwn(HttpServletRequest request, @PathVariable long id) {
        Caller caller = Callers.requireScope(request, Scopes.ADMIN);
        return TokenView.of(tokens.revoke(users.of(caller), id), null);
    }

    @PostMapping("/api/v1/users/{name}/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    TokenView createFor(HttpServletRequest request, @PathVariable String name, @RequestBody CreateToken body) {
        requireSiteAdmin(request);
        return issue(users.byName(name), body);
    }

    @GetMapping("/api/v1/users/{name}/tokens")
    List<TokenView> listFor(HttpServletRequest request, @PathVariable String name) {
        requireSiteAdmin(request);
        return list(users.byName(name));
    }

    @DeleteMapping("/api/v1/users/{name}/tokens/{id}")
    TokenView revokeFor(HttpServletRequest request, @PathVariable String name, @PathVariable long id) {
        requireSiteAdmin(request);
        return TokenView.of(tokens.revoke(users.byName(name), id), null);
    }

    private TokenView issue(User user, CreateToken body) {
        var issued = tokens.issue(user, body.name(), Scopes.expand(body.scopes()), body.expiresAt());
        return TokenView.of(issued.token(), issued.secret());
    }

    private List<TokenView> list(User user) {
        return tokens.of(user).stream().map(t -> TokenView.of(t, null)).toList();
    }

    private static void requireSiteAdmin(HttpServletRequest request) {
        if (!Callers.require(request).admin()) {
            throw ApiException.forbidden("Only the site admin may manage other users' tokens.");
        }
    }
}
