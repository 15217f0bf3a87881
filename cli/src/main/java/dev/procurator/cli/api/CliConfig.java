package dev.procurator.cli.api;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where the CLI finds the platform and its credential: {@code PROCURATOR_TOKEN} and the {@code PROCURATOR_*_URL}
 * variables win; otherwise the file {@code procurator login} wrote ({@code $XDG_CONFIG_HOME/procurator/config}, by
 * default {@code ~/.config/procurator/config}, mode 600); otherwise the local defaults of {@code procurator up}.
 */
public record CliConfig(String token, Map<String, String> urls) {

    /** Config key, environment variable and local default of each service URL the CLI talks to. */
    public enum Endpoint {
        FORGE("forge-url", "PROCURATOR_FORGE_URL", "http://localhost:7410"),
        CI("ci-url", "PROCURATOR_CI_URL", "http://localhost:7420"),
        CACHE("cache-url", "PROCURATOR_CACHE_URL", "http://localhost:7430"),
        CONTROL_PLANE("control-plane-url", "PROCURATOR_CONTROL_PLANE_URL", "http://localhost:7440"),
        CONTROL_PLANE_RPC("control-plane-rpc", "PROCURATOR_CONTROL_PLANE_RPC", "localhost:7441"),
        SECRETS("secrets-url", "PROCURATOR_SECRETS_URL", "http://localhost:7460"),
        OBSERVABILITY("observability-url", "PROCURATOR_OBSERVABILITY_URL", "http://localhost:7470");

        final String key;
        final String variable;
        final String localDefault;

        Endpoint(String key, String variable, String localDefault) {
            this.key = key;
            this.variable = variable;
            this.localDefault = localDefault;
        }
    }

    public CliConfig {
        urls = Map.copyOf(urls);
    }

    public String url(Endpoint endpoint) {
        return urls.getOrDefault(endpoint.key, endpoint.localDefault).replaceAll("/+$", "");
    }

    /** The token, or a message telling the user how to provide one. */
    public String requireToken() {
        if (token == null || token.isBlank()) {
            throw new CliException("No token: run 'procurator login' or set PROCURATOR_TOKEN.");
        }
        return token;
    }

    public static CliConfig load(Map<String, String> env) {
        return load(env, file(env));
    }

    static CliConfig load(Map<String, String> env, Path file) {
        Properties saved = read(file);
        Map<String, String> urls = new LinkedHashMap<>();
        for (Endpoint endpoint : Endpoint.values()) {
            String value = firstSet(env.get(endpoint.variable), saved.getProperty(endpoint.key));
            if (value != null) {
                urls.put(endpoint.key, value);
            }
        }
        return new CliConfig(firstSet(env.get("PROCURATOR_TOKEN"), saved.getProperty("token")), urls);
    }

    /** Writes this configuration atomically, readable by its owner only: it holds a credential. */
    public void save(Path file) {
        Properties properties = new Properties();
        if (token != null) {
            properties.setProperty("token", token);
        }
        urls.forEach(properties::setProperty);
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "config", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(temp)) {
                properties.store(out, "written by procurator login");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public CliConfig with(String newToken, Map<String, String> newUrls) {
        Map<String, String> merged = new LinkedHashMap<>(urls);
        merged.putAll(newUrls);
        return new CliConfig(newToken, merged);
    }

    public static Path file(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("procurator").resolve("config");
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            } catch (IOException e) {
                throw new CliException("Cannot read " + file + ": " + e.getMessage());
            }
        }
        return properties;
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }
}
