package dev.procurator.autonix.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.procurator.common.process.Command;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.process.ProcessRunner;

/**
 * Runs the real nix and git the way the platform does offline (see shared notes/nix.md): its own NIX_CONF_DIR, HOME
 * and XDG_CACHE_HOME under a temporary directory, so a test never reads or writes the developer's configuration,
 * no substituters (no network, no 4 s retries) and no flake registry.
 */
public final class OfflineNix {

    private static final String NIX_CONF = """
            experimental-features = nix-command flakes
            substituters =
            flake-registry =
            sandbox = false
            warn-dirty = false
            """;

    private final ProcessRunner runner = new ProcessRunner();
    private final Map<String, String> env;

    public OfflineNix(Path scratch) {
        try {
            Path conf = Files.createDirectories(scratch.resolve("nix-conf"));
            Files.writeString(conf.resolve("nix.conf"), NIX_CONF);
            env = Map.of(
                    "NIX_CONF_DIR", conf.toString(),
                    "HOME", Files.createDirectories(scratch.resolve("home")).toString(),
                    "XDG_CACHE_HOME", Files.createDirectories(scratch.resolve("cache")).toString(),
                    "GIT_CONFIG_NOSYSTEM", "1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code dir} a git repository with every file added: a flake only sees files git knows. */
    public void gitAddAll(Path dir) {
        run(dir, "git", "-c", "init.defaultBranch=main", "init", "-q").requireSuccess();
        run(dir, "git", "add", "-A").requireSuccess();
    }

    public ProcessResult nix(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("nix"));
        argv.addAll(List.of(args));
        return run(dir, argv.toArray(String[]::new));
    }

    private ProcessResult run(Path dir, String... argv) {
        return runner.run(Command.of(argv).in(dir).withEnv(env).timeout(Duration.ofMinutes(2)));
    }
}
