package dev.procurator.common.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpStatus;

import dev.procurator.common.error.ApiException;

/**
 * Finds the {@link Caller} behind an {@code Authorization} header: {@code Bearer <token>}, or HTTP Basic with the token
 * as password (what git and the Nix client's netrc speak). Shared by {@link TokenAuthFilter} and by front ends that
 * serve requests outside the servlet container.
 */
public class TokenAuthenticator {

    private final AdminToken adminToken;
    private final List<TokenResolver> resolvers;

    public TokenAuthenticator(AdminToken adminToken, List<TokenResolver> resolvers) {
        this.adminToken = adminToken;
        this.resolvers = List.copyOf(resolvers);
    }

    /**
     * @return the caller, or empty when no token is presented
     * @throws ApiException 401 {@code invalid_token} for a token that is presented but wrong
     */
    public Optional<Caller> authenticate(String authorization) {
        Optional<String> token = presentedToken(authorization);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        Optional<Caller> caller = resolve(token.get());
        if (caller.isEmpty()) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "invalid_token", "The token is unknown, revoked or expired.");
        }
        return caller;
    }

    private Optional<Caller> resolve(String token) {
        if (adminToken.matches(token)) {
            return Optional.of(Caller.ADMIN);
        }
        for (TokenResolver resolver : resolvers) {
            Optional<Caller> caller = resolver.resolve(token);
            if (caller.isPresent()) {
                return caller;
            }
        }
        return Optional.empty();
    }

    static Optional<String> presentedToken(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        // Scanned by hand, not split by a regex: this runs for every request of every push.
        String value = authorization.strip();
        int end = 0;
        while (end < value.length() && !Character.isWhitespace(value.charAt(end))) {
            end++;
        }
        if (end == value.length()) {
            return Optional.of("");
        }
        String scheme = value.substring(0, end);
        String credentials = value.substring(end).stripLeading();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return Optional.of(credentials);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            return Optional.of(basicPassword(credentials));
        }
        return Optional.of("");
    }

    /** The token is the password; a client that only has a username field may put it there instead. */
    private static String basicPassword(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return decoded;
        }
        String password = decoded.substring(colon + 1);
        return password.isEmpty() ? decoded.substring(0, colon) : password;
    }
}
