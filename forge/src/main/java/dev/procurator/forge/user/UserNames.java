package dev.procurator.forge.user;

import java.util.Set;
import java.util.regex.Pattern;

import dev.procurator.common.error.ApiException;

/**
 * User names appear in URLs ({@code /<owner>/<repo>.git}) and on disk, so they are lower-case letters, digits and
 * inner dashes only; a few names are reserved because they are the forge's own top-level paths.
 */
public final class UserNames {

    private static final Pattern VALID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?");

    /** Top-level paths of the forge itself; no user may shadow them. Keep in sync with the UI's path patterns. */
    public static final Set<String> RESERVED = Set.of("api", "actuator", "procurator", "system", "static", "login",
            "logout", "new", "explore", "settings", "repos", "users", "assets", "favicon.ico", "error");

    private UserNames() {
    }

    public static String requireValid(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw ApiException.badRequest("invalid_user_name",
                    "A user name is 1-40 lower-case letters, digits or inner dashes: '" + printable(name) + "'.");
        }
        if (RESERVED.contains(name)) {
            throw ApiException.badRequest("reserved_user_name", "'" + name + "' is reserved by the forge.");
        }
        return name;
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches() && !RESERVED.contains(name);
    }

    /** A name as safe to echo in an error message: cut, control characters replaced. */
    public static String printableName(String s) {
        return printable(s);
    }

    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
