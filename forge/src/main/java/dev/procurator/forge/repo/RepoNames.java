package dev.procurator.forge.repo;

import java.util.regex.Pattern;

import dev.procurator.common.error.ApiException;

/**
 * Repository names become a directory ({@code <owner>/<name>.git}) and a URL segment, so they are restricted to a
 * charset that can neither traverse ({@code ..}, {@code /}) nor hide ({@code .name}) nor collide with the
 * {@code .git} suffix.
 */
public final class RepoNames {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private RepoNames() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches() && !name.contains("..")
                && !name.toLowerCase().endsWith(".git") && !name.endsWith(".");
    }

    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw ApiException.badRequest("invalid_repo_name",
                    "A repository name is 1-100 letters, digits, '.', '_' or '-', starts with a letter or digit, "
                            + "has no '..' and does not end in '.git' or '.'.");
        }
        return name;
    }
}
