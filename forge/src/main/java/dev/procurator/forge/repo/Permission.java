package dev.procurator.forge.repo;

import java.util.Locale;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.error.ApiException;
import dev.procurator.forge.token.Scopes;

/** What a caller may do on a repository, ordered: each level includes the ones before it. */
public enum Permission {
    NONE, READ, WRITE, ADMIN;

    public boolean allows(Permission needed) {
        return compareTo(needed) >= 0;
    }

    public Permission min(Permission other) {
        return compareTo(other) <= 0 ? this : other;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The most a caller's token lets it do anywhere, whatever its role. */
    public static Permission ceilingOf(Caller caller) {
        if (caller.admin() || caller.hasScope(Scopes.ADMIN)) {
            return ADMIN;
        }
        if (caller.hasScope(Scopes.WRITE)) {
            return WRITE;
        }
        return caller.hasScope(Scopes.READ) ? READ : NONE;
    }

    /** A collaborator role from the API: read, write or admin. */
    public static Permission role(String value) {
        if (value != null) {
            switch (value) {
                case "read" -> {
                    return READ;
                }
                case "write" -> {
                    return WRITE;
                }
                case "admin" -> {
                    return ADMIN;
                }
                default -> {
                }
            }
        }
        throw ApiException.badRequest("invalid_role", "A collaborator role is read, write or admin.");
    }
}
