package dev.procurator.common.auth;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Which requests need a caller at all. The default protects every {@code /api/} path; a service with public
 * resources (public repositories, public caches) declares its own bean and checks scopes in its controllers.
 */
@FunctionalInterface
public interface AuthPolicy {

    AuthPolicy API_REQUIRES_TOKEN = request -> request.getRequestURI().startsWith("/api/");

    boolean requiresCaller(HttpServletRequest request);
}
