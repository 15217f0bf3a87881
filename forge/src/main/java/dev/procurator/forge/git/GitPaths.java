package dev.procurator.forge.git;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Recognises git smart/dumb HTTP URLs: {@code /<owner>/<repo>.git/<service path>}. */
public record GitPaths(String owner, String name, String rest) {

    private static final Pattern GIT_URL = Pattern.compile("^/([^/]+)/([^/]+)\\.git(/.*)$");

    public static Optional<GitPaths> parse(String path) {
        if (path == null) {
            return Optional.empty();
        }
        Matcher m = GIT_URL.matcher(path);
        return m.matches() ? Optional.of(new GitPaths(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }

    /** Whether this request belongs to a push (the advertisement or the pack upload). */
    public static boolean isPush(String path, String query) {
        return path.endsWith("/git-receive-pack")
                || (path.endsWith("/info/refs") && query != null && query.contains("service=git-receive-pack"));
    }
}
