package dev.procurator.cli.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.procurator.cli.api.CliConfig;

/**
 * git's credential helper protocol (git-credential(1)) answered from the CLI's configuration, as
 * {@code gh auth git-credential} does for GitHub: git writes {@code key=value} lines ({@code protocol}, {@code host},
 * maybe {@code path} and {@code username}) ending with a blank line; for {@code get} the helper answers
 * {@code username} and {@code password}. Only a request for the forge's own protocol, host and port gets the token;
 * anything else (another host, another user, no token) gets no answer, which tells git to try elsewhere.
 * {@code store} and {@code erase} are acknowledged and ignored: the token lives in the CLI's configuration, changed by
 * {@code procurator login} and {@code logout} only.
 */
final class GitCredentialHelper {

    /** The user name sent with a token from {@code PROCURATOR_TOKEN}, whose owner the CLI does not know. */
    static final String UNKNOWN_USER = "procurator";

    private final CliConfig config;

    GitCredentialHelper(CliConfig config) {
        this.config = config;
    }

    void handle(String operation, BufferedReader in, PrintWriter out) throws IOException {
        Map<String, String> request = read(in);
        if (operation.equals("get")) {
            answer(request).ifPresent(credentials -> credentials.forEach((key, value) -> out.print(key + "=" + value + "\n")));
        }
        out.flush();
    }

    /** The credentials for a {@code get} request, or empty when they are not this helper's to give. */
    Optional<Map<String, String>> answer(Map<String, String> request) {
        String token = config.token();
        if (token == null || token.isBlank() || !isForge(request)) {
            return Optional.empty();
        }
        String user = config.user() == null ? UNKNOWN_USER : config.user();
        String asked = request.get("username");
        // A URL naming someone else (http://alice@forge/...) is not ours to answer with our token.
        if (asked != null && config.user() != null && !asked.equalsIgnoreCase(user)) {
            return Optional.empty();
        }
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("username", asked != null ? asked : user);
        credentials.put("password", token);
        return Optional.of(credentials);
    }

    /** Whether the request is for the forge: same scheme, host and port, and (when git sends one) under its path. */
    boolean isForge(Map<String, String> request) {
        String protocol = request.get("protocol");
        String host = request.get("host");
        if (protocol == null || host == null) {
            return false;
        }
        URI forge;
        URI asked;
        try {
            forge = URI.create(config.url(CliConfig.Endpoint.FORGE));
            asked = URI.create(protocol + "://" + host);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (forge.getScheme() == null || forge.getHost() == null || asked.getHost() == null
                || !forge.getScheme().equalsIgnoreCase(asked.getScheme())
                || !forge.getHost().equalsIgnoreCase(asked.getHost()) || port(forge) != port(asked)) {
            return false;
        }
        String base = forge.getPath() == null ? "" : forge.getPath().replaceAll("/+$", "");
        String path = request.get("path");
        return base.isEmpty() || path == null || ("/" + path + "/").startsWith(base + "/");
    }

    /** One request: {@code key=value} lines up to a blank line or the end of input; other lines are skipped. */
    static Map<String, String> read(BufferedReader in) throws IOException {
        Map<String, String> attributes = new LinkedHashMap<>();
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                attributes.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return attributes;
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "https" -> 443;
            case "http" -> 80;
            default -> -1;
        };
    }
}
