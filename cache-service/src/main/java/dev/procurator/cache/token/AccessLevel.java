package dev.procurator.cache.token;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.error.ApiException;

/** What a cache token allows; each level includes the ones below it. */
public enum AccessLevel {
    READ, WRITE, ADMIN;

    public String scope() {
        return name().toLowerCase();
    }

    public static AccessLevel of(String scope) {
        return Arrays.stream(values()).filter(l -> l.scope().equals(scope)).findFirst()
                .orElseThrow(() -> ApiException.badRequest("invalid_scope",
                        "A token scope is read, write or admin, not '" + scope + "'."));
    }

    /** The caller scope naming this level on one cache, e.g. {@code cache:main:write}. */
    public String on(String cache) {
        return "cache:" + cache + ":" + scope();
    }

    /** The scopes a token of this level carries: its own and every lower level's. */
    public Set<String> scopesOn(String cache) {
        Set<String> scopes = new LinkedHashSet<>();
        for (AccessLevel level : values()) {
            if (level.ordinal() <= ordinal()) {
                scopes.add(level.on(cache));
            }
        }
        return scopes;
    }

    public boolean grantedTo(Caller caller, String cache) {
        return caller != null && (caller.admin() || caller.scopes().contains(on(cache)));
    }
}
