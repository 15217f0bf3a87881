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
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import dev.procurator.common.config.ServicePorts;

/**
 * Where the CLI finds the platform and its credential: {@code PROCURATOR_TOKEN} and the {@code PROCURATOR_*_URL}
 * variables win; otherwise the file {@code procurator login} wrote ({@link #file}, mode 600); otherwise the local
 * defaults of {@code procurator up} ({@link ServicePorts}).
 *
 * @param user the forge user the token belongs to, as login found it (null when unknown)
 */
public record CliConfig(String token, String user, Map<String, String> urls) {

    /** Config key, environment variable and local default of each service URL the CLI talks to. */
    public enum Endpoint {
        FORGE(ServicePorts.FORGE),
        CI(ServicePorts.CI),
        CACHE(ServicePorts.CACHE),
        CONTROL_PLANE(ServicePorts.CONTROL_PLANE),
        CONTROL_PLANE_RPC("control-plane-rpc", ServicePorts.CONTROL_PLANE_RPC_VARIABLE,
                ServicePorts.localControlPlaneRpc()),
        SECRETS(ServicePorts.SECRETS),
        OBSERVABILITY(ServicePorts.OBSERVABILITY);

        final String key;
        final String variable;
        final String localDefault;

        Endpoint(String key, String variable, String localDefault) {
            this.key = key;
            this.variable = variable;
            this.localDefault = localDefault;
        }

        /** {@code PROCURATOR_FORGE_URL} is saved as {@code forge-url}. */
        Endpoint(ServicePorts service) {
            this(service.urlVariable().substring("PROCURATOR_".length()).toLowerCase(Locale.ROOT).replace('_', '-'),
                    service.urlVariable(), service.localUrl());
        }

        /** The key in the config file, e.g. {@code forge-url}. */
        public String key() {
            return key;
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

    public static CliConfig load(Map<String, String> env, Path file) {
        Properties saved = read(file);
        Map<String, String> urls = new LinkedHashMap<>();
        for (Endpoint endpoint : Endpoint.values()) {
            String value = firstSet(env.get(endpoint.variable), saved.getProperty(endpoint.key));
            if (value != null) {
                urls.put(endpoint.key, value);
            }
        }
        String token = firstSet(env.get("PROCURATOR_TOKEN"), saved.getProperty("token"));
        // The saved user goes with the saved token; a token from the environment may be someone else's.
        String user = firstSet(env.get("PROCURATOR_TOKEN")) != null ? null : firstSet(saved.getProperty("user"));
        return new CliConfig(token, user, urls);
    }

    /** Writes this configuration atomically, readable by its owner only: it holds a credential. */
    public void save(Path file) {
        Properties properties = new Properties();
        if (token != null) {
            properties.setProperty("token", token);
        }
        if (user != null) {
            properties.setProperty("user", user);
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

    /** This configuration with a new credential and the URLs given (the others kept). */
    public CliConfig loggedIn(String newToken, String newUser, Map<String, String> newUrls) {
        Map<String, String> merged = new LinkedHashMap<>(urls);
        merged.putAll(newUrls);
        return new CliConfig(newToken, newUser, merged);
    }

    /** This configuration without its credential; the URLs stay (they are settings, not secrets). */
    public CliConfig loggedOut() {
        return new CliConfig(null, null, urls);
    }

    /**
     * {@code $XDG_CONFIG_HOME/procurator/config}, else {@code $HOME/.config/procurator/config}: the environment, not
     * the password database, says where home is (a test, a container or {@code sudo -E} may point it elsewhere).
     * A relative {@code XDG_CONFIG_HOME} is ignored, as the XDG Base Directory specification asks.
     */
    public static Path file(Map<String, String> env) {
        return configHome(env).resolve("procurator").resolve("config");
    }

    static Path configHome(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg);
        }
        String home = env.get("HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, ".config");
        }
        return Path.of(System.getProperty("user.home"), ".config");
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
