package dev.procurator.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.procurator.common.process.Command;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.process.ProcessRunner;

/**
 * The real {@code nix} (and {@code git}) as the platform runs them offline: NIX_CONF_DIR, HOME
 * and XDG_CACHE_HOME of its own under a temporary directory, so a test never touches the developer's configuration;
 * no substituters (no network, no 4 s retries), no flake registry, no negative narinfo caching.
 */
public final class NixSandbox {

    private static final String NIX_CONF = """
            experimental-features = nix-command flakes
            substituters =
            flake-registry =
            sandbox = false
            narinfo-cache-negative-ttl = 0
            warn-dirty = false
            """;
    private static final Pattern OUT_PATH = Pattern.compile("\"out\"\\s*:\\s*\"(/nix/store/[^\"]+)\"");

    private final ProcessRunner runner = new ProcessRunner();
    private final Path root;
    private final Map<String, String> environment;

    public NixSandbox(Path root) {
        this.root = root;
        try {
            Path conf = Files.createDirectories(root.resolve("nix-conf"));
            Files.writeString(conf.resolve("nix.conf"), NIX_CONF);
            environment = Map.of(
                    "NIX_CONF_DIR", conf.toString(),
                    "HOME", Files.createDirectories(root.resolve("home")).toString(),
                    "XDG_CACHE_HOME", Files.createDirectories(root.resolve("cache")).toString(),
                    "GIT_CONFIG_NOSYSTEM", "1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The variables that put a program in this sandbox (for programs a test starts itself). */
    public Map<String, String> environment() {
        return environment;
    }

    public Path root() {
        return root;
    }

    /** Runs {@code nix args...} in {@code dir}; the result whatever the exit code. */
    public ProcessResult nix(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("nix"));
        argv.addAll(List.of(args));
        return run(dir, argv.toArray(String[]::new));
    }

    /** Runs any program (git, nix-store, ...) with this sandbox's environment. */
    public ProcessResult run(Path dir, String... argv) {
        return runner.run(Command.of(argv).in(dir).withEnv(environment).timeout(Duration.ofMinutes(3)));
    }

    /** Makes {@code dir} a git repository with every file added: a flake only sees files git knows. */
    public void gitAddAll(Path dir) {
        run(dir, "git", "-c", "init.defaultBranch=main", "init", "-q").requireSuccess();
        run(dir, "git", "add", "-A").requireSuccess();
    }

    /** Builds a Nix expression (e.g. a busybox {@code derivation}) and returns its out path. */
    public String build(String expression) {
        String json = nix(root, "build", "--no-link", "--json", "--expr", expression).requireSuccess().stdout();
        Matcher out = OUT_PATH.matcher(json);
        if (!out.find()) {
            throw new IllegalStateException("nix build printed no out path: " + json);
        }
        return out.group(1);
    }

    /** A store path holding one line of text, built with busybox only (no nixpkgs needed). */
    public String buildTextFile(String name, String text) {
        return build("derivation { name = \"" + name + "\"; system = \"x86_64-linux\"; builder = \"/bin/busybox\"; "
                + "args = [ \"sh\" \"-c\" \"echo '" + text + "' > $out\" ]; }");
    }
}
