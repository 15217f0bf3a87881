package dev.procurator.ci.nix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.procurator.ci.CiProperties;
import dev.procurator.common.config.ProcuratorProperties;
import dev.procurator.common.process.Executables;

/**
 * The service's own Nix configuration, offline and self-contained (notes/nix.md): a NIX_CONF_DIR, HOME and
 * XDG_CACHE_HOME under {@code <data dir>/nix}, so the service never depends on, or changes, the machine user's Nix
 * settings. The nix.conf is written at start from {@code procurator.ci.nix.*}, unless the operator names a
 * directory of their own ({@code procurator.ci.nix.conf-dir}).
 */
@Component
public class NixSetup {

    private static final Logger log = LoggerFactory.getLogger(NixSetup.class);

    private final Map<String, String> environment;
    private final Optional<Path> nix;

    NixSetup(CiProperties properties, ProcuratorProperties platform) {
        Path root = platform.dataDir().resolve("nix");
        CiProperties.Nix settings = properties.nix();
        try {
            Path confDir = settings.confDir() != null ? settings.confDir() : writeConf(root.resolve("conf"), settings);
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
            env.put("HOME", Files.createDirectories(root.resolve("home")).toString());
            env.put("XDG_CACHE_HOME", Files.createDirectories(root.resolve("cache")).toString());
            env.put("NIX_CONF_DIR", confDir.toString());
            env.put("LANG", "C.UTF-8");
            this.environment = Map.copyOf(env);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Nix configuration under " + root, e);
        }
        this.nix = Executables.find("nix", environment.get("PATH"));
        if (nix.isEmpty()) {
            log.warn("'nix' is not on PATH: pipelines will fail until it is installed");
        }
    }

    static String nixConf(CiProperties.Nix settings) {
        StringBuilder conf = new StringBuilder("""
                # Written by the Procurator CI service at start (procurator.ci.nix.*); edits here are replaced.
                experimental-features = nix-command flakes
                # Offline: no public cache to wait for, no global flake registry.
                substituters =
                flake-registry =
                # A push asks the cache what it has; a remembered answer could hide a path the cache lost.
                narinfo-cache-negative-ttl = 0
                narinfo-cache-positive-ttl = 0
                warn-dirty = false
                """);
        conf.append("sandbox = ").append(settings.sandbox()).append('\n');
        if (!settings.extraSandboxPaths().isEmpty()) {
            conf.append("extra-sandbox-paths = ").append(String.join(" ", settings.extraSandboxPaths())).append('\n');
        }
        if (!settings.extraConfig().isBlank()) {
            conf.append(settings.extraConfig().strip()).append('\n');
        }
        return conf.toString();
    }

    private static Path writeConf(Path dir, CiProperties.Nix settings) throws IOException {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "nix.conf", ".tmp");
        Files.writeString(temp, nixConf(settings));
        Files.move(temp, dir.resolve("nix.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }

    /** The variables every {@code nix} the service runs gets, and nothing else: no token, no secret. */
    public Map<String, String> environment() {
        return environment;
    }

    /** The nix executable, if installed. */
    public Optional<Path> executable() {
        return nix;
    }
}
