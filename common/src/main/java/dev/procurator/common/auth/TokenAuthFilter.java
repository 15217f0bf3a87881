package dev.procurator.common.auth;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.procurator.common.error.ApiException;
import dev.procurator.common.error.ErrorResponses;

/**
 * Establishes the {@link Caller} of a request with the {@link TokenAuthenticator}. A presented token that is wrong is
 * rejected at once; a missing token is rejected only where the {@link AuthPolicy} asks for a caller. Basic challenges
 * let git and curl retry with credentials.
 */
public class TokenAuthFilter extends OncePerRequestFilter {

    /** The challenge that makes git and curl retry with the credentials they hold. */
    public static final String BASIC_CHALLENGE = "Basic realm=\"procurator\", charset=\"UTF-8\"";

    private final TokenAuthenticator authenticator;
    private final AuthPolicy policy;

    public TokenAuthFilter(AdminToken adminToken, List<TokenResolver> resolvers, AuthPolicy policy) {
        this.authenticator = new TokenAuthenticator(adminToken, resolvers);
        this.policy = policy;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller;
        try {
            caller = authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
        } catch (ApiException e) {
            unauthorized(response, e.code(), e.getMessage());
            return;
        }
        if (caller.isPresent()) {
            Callers.set(request, caller.get());
        } else if (policy.requiresCaller(request)) {
            unauthorized(response, "unauthenticated",
                    "This endpoint needs a token: Authorization: Bearer <token>, or HTTP Basic with the token as password.");
            return;
        }
        chain.doFilter(request, response);
    }

    private static void unauthorized(HttpServletResponse response, String code, String message) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, BASIC_CHALLENGE);
        ErrorResponses.write(response, HttpServletResponse.SC_UNAUTHORIZED, code, message);
    }
}
