package dev.procurator.cache.protocol;

import java.util.Optional;

/**
 * What a request path names under {@code /<cache>/}: {@code nix-cache-info}, {@code <hash>.narinfo} or
 * {@code nar/<file>}. Paths are taken raw, undecoded: an encoded slash or dot stays in the name and fails its check.
 */
public record ProtocolRoute(String cacheName, Kind kind, String rest) {

    public enum Kind { CACHE_INFO, NARINFO, NAR }

    private static final String NARINFO_SUFFIX = ".narinfo";

    /** The protocol resource of a request target, or empty for the API, the dashboard and the actuator. */
    public static Optional<ProtocolRoute> of(String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        int slash = path.indexOf('/', 1);
        if (!path.startsWith("/") || slash < 0) {
            return Optional.empty();
        }
        String rest = path.substring(slash + 1);
        Kind kind = rest.equals("nix-cache-info") ? Kind.CACHE_INFO
                : rest.endsWith(NARINFO_SUFFIX) && rest.indexOf('/') < 0 ? Kind.NARINFO
                : rest.startsWith("nar/") ? Kind.NAR : null;
        String cacheName = path.substring(1, slash);
        if (kind == null || cacheName.equals("api") || cacheName.equals("actuator")) {
            return Optional.empty();
        }
        return Optional.of(new ProtocolRoute(cacheName, kind, rest));
    }

    /** The store hash a narinfo is named after (unchecked). */
    String narinfoHash() {
        return rest.substring(0, rest.length() - NARINFO_SUFFIX.length());
    }

    /** The NAR file name (unchecked). */
    String narFileName() {
        return rest.substring(4);
    }
}
