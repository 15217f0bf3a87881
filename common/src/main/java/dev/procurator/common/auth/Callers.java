package dev.procurator.common.auth;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import dev.procurator.common.error.ApiException;

/** Reads the {@link Caller} that {@link TokenAuthFilter} established for a request. */
public final class Callers {

    private static final String ATTRIBUTE = Caller.class.getName();

    private Callers() {
    }

    static void set(HttpServletRequest request, Caller caller) {
        request.setAttribute(ATTRIBUTE, caller);
    }

    public static Optional<Caller> current(HttpServletRequest request) {
        return Optional.ofNullable((Caller) request.getAttribute(ATTRIBUTE));
    }

    /** The caller, or a 401 for the client. */
    public static Caller require(HttpServletRequest request) {
        return current(request).orElseThrow(() -> ApiException.unauthorized("This endpoint needs a token."));
    }

    /** The caller if it holds {@code scope}, or a 401/403 for the client. */
    public static Caller requireScope(HttpServletRequest request, String scope) {
        Caller caller = require(request);
        if (!caller.hasScope(scope)) {
            throw ApiException.forbidden("This needs a token with the '" + scope + "' scope.");
        }
        return caller;
    }
}
