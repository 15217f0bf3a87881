package dev.procurator.common.auth;

import java.util.Set;

/**
 * Who made a request, as established by a token. Scopes mean what the service that issued the token says they
 * mean (e.g. {@code read}, {@code write}, {@code admin}); the bootstrap admin holds every scope.
 *
 * @param name   the user or token owner name ({@code admin} for the bootstrap admin)
 * @param scopes what the token may do
 * @param admin  whether this caller is the platform administrator
 */
public record Caller(String name, Set<String> scopes, boolean admin) {

    public static final Caller ADMIN = new Caller("admin", Set.of("read", "write", "admin"), true);

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean hasScope(String scope) {
        return admin || scopes.contains(scope);
    }
}
