package dev.procurator.forge.token;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.error.ApiException;

/**
 * Token scopes. They are cumulative: {@code write} implies {@code read}, {@code admin} implies both, so a token
 * is stored with every scope it grants and {@link Caller#hasScope} stays a plain set lookup.
 */
public final class Scopes {

    public static final String READ = "read";
    public static final String WRITE = "write";
    public static final String ADMIN = "admin";
    static final List<String> ORDER = List.of(READ, WRITE, ADMIN);

    private Scopes() {
    }

    /** Validates requested scopes and expands them to everything they imply. */
    public static Set<String> expand(Collection<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw ApiException.badRequest("invalid_scopes", "Give at least one scope: read, write or admin.");
        }
        int highest = -1;
        for (String scope : requested) {
            int rank = ORDER.indexOf(scope);
            if (rank < 0) {
                throw ApiException.badRequest("invalid_scopes",
                        "Unknown scope '" + scope + "'; scopes are read, write and admin.");
            }
            highest = Math.max(highest, rank);
        }
        return new LinkedHashSet<>(ORDER.subList(0, highest + 1));
    }
}
