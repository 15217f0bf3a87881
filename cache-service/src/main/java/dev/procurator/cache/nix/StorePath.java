package dev.procurator.cache.nix;

import java.util.regex.Pattern;

/**
 * A store path under {@code /nix/store}: a 32-character base32 hash and a name. Validation follows Nix's own rules,
 * so nothing that reaches the database or the file system can contain a slash or a dot-dot.
 */
public record StorePath(String hash, String name) {

    public static final String STORE_DIR = "/nix/store";

    private static final Pattern BASENAME = Pattern.compile("([0-9a-df-np-sv-z]{32})-([A-Za-z0-9+\\-._?=]{1,211})");

    public StorePath {
        if (name.startsWith(".")) {
            throw new IllegalArgumentException("a store path name cannot start with a dot");
        }
    }

    /** Parses {@code <hash>-<name>}. */
    public static StorePath ofBaseName(String baseName) {
        var m = BASENAME.matcher(baseName);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + abbreviate(baseName) + "' is not a valid store path base name");
        }
        return new StorePath(m.group(1), m.group(2));
    }

    /** Parses {@code /nix/store/<hash>-<name>}. */
    public static StorePath parse(String path) {
        if (!path.startsWith(STORE_DIR + "/")) {
            throw new IllegalArgumentException("'" + abbreviate(path) + "' is not under " + STORE_DIR);
        }
        return ofBaseName(path.substring(STORE_DIR.length() + 1));
    }

    /** Accepts a full path, a base name or a bare hash: whatever a user pastes into a search box or a CLI. */
    public static String hashOf(String pathOrHash) {
        String s = pathOrHash.strip();
        if (s.startsWith(STORE_DIR + "/")) {
            s = s.substring(STORE_DIR.length() + 1);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        if (s.endsWith(".narinfo")) {
            s = s.substring(0, s.length() - ".narinfo".length());
        }
        String hash = s.length() >= 32 ? s.substring(0, 32) : s;
        if (!isHash(hash) || (s.length() > 32 && s.charAt(32) != '-')) {
            throw new IllegalArgumentException("'" + abbreviate(pathOrHash) + "' is not a store path or store hash");
        }
        return hash;
    }

    public static boolean isHash(String text) {
        return text.length() == 32 && NixBase32.isValid(text, 20);
    }

    public String baseName() {
        return hash + "-" + name;
    }

    public String fullPath() {
        return STORE_DIR + "/" + baseName();
    }

    @Override
    public String toString() {
        return fullPath();
    }

    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
