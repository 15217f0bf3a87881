package dev.procurator.common.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.procurator.common.error.ErrorResponses;

/**
 * Establishes the {@link Caller} of a request from {@code Authorization: Bearer <token>} or HTTP Basic with the token
 * as password (what git and the Nix client's netrc speak). A presented token that is wrong is rejected at once;
 * a missing token is rejected only where the {@link AuthPolicy} asks for a caller. Basic challenges let git and
 * curl retry with credentials.
 */
public class TokenAuthFilter extends OncePerRequestFilter {

    private final AdminToken adminToken;
    private final List<TokenResolver> resolvers;
    private final AuthPolicy policy;

    public TokenAuthFilter(AdminToken adminToken, List<TokenResolver> resolvers, AuthPolicy policy) {
        this.adminToken = adminToken;
        this.resolvers = List.copyOf(resolvers);
        this.policy = policy;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> token = presentedToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (token.isPresent()) {
            Optional<Caller> caller = resolve(token.get());
            if (caller.isEmpty()) {
                unauthorized(response, "invalid_token", "The token is unknown, revoked or expired.");
                return;
            }
            Callers.set(request, caller.get());
        } else if (policy.requiresCaller(request)) {
            unauthorized(response, "unauthenticated",
                    "This endpoint needs a token: Authorization: Bearer <token>, or HTTP Basic with the token as password.");
            return;
        }
        chain.doFilter(request, response);
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
        String[] parts = authorization.strip().split("\\s+", 2);
        if (parts.length != 2) {
            return Optional.of("");
        }
        if (parts[0].equalsIgnoreCase("Bearer")) {
            return Optional.of(parts[1]);
        }
        if (parts[0].equalsIgnoreCase("Basic")) {
            return Optional.of(basicPassword(parts[1]));
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

    private static void unauthorized(HttpServletResponse response, String code, String message) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"procurator\", charset=\"UTF-8\"");
        ErrorResponses.write(response, HttpServletResponse.SC_UNAUTHORIZED, code, message);
    }
}
