package dev.procurator.worker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.procurator.common.process.Command;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.process.ProcessRunner;
import dev.procurator.common.testing.NixSandbox;

/**
 * Real guests for tests, built offline with the repository's guest kit (nix/README-style notes in
 * {@code nix/guest/fetch-kernel.sh} and {@code nix/lib/microvm.nix}): a Debian kernel fetched once into a shared
 * cache directory ({@code PROCURATOR_GUEST_KERNEL_DIR}, default {@code /var/cache/procurator/guest-kernel}, readable
 * by Nix's build users), and NixOS-layout closures built from it once per test run and shared by every test of the
 * JVM: two healthy versions of one web service and a broken one (boots, fails its {@code /health} check), served
 * from a signed binary cache.
 */
public final class GuestKit {

    public static final Path REPO = findRepo();
    private static final Pattern OUT = Pattern.compile("\"out\"\\s*:\\s*\"(/nix/store/[^\"]+)\"");
    private static final ProcessRunner RUNNER = new ProcessRunner();
    private static Kit kit;

    private GuestKit() {
    }

    /**
     * The test closures of this run and the signed binary cache (a {@code file://} cache) they are in.
     *
     * @param cacheUrl  the substituter URL
     * @param publicKey the key the cache signs with, {@code name:base64}
     */
    public record Kit(String v1, String v2, String broken, String cacheUrl, String publicKey, Path secretKey,
                      NixSandbox nix) {
    }

    /**
     * Builds the closures (once per JVM; a run-unique tag in their content makes them new store paths), pushes them
     * signed into a binary cache, then deletes the three top-level paths from the local store (they are this run's
     * own), so a worker really substitutes them, verifying the signature, as on a fresh host. The kernel they share
     * stays in the store.
     */
    public static synchronized Kit shared() {
        if (kit == null) {
            try {
                Path root = Files.createTempDirectory("procurator-guestkit-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
                NixSandbox nix = new NixSandbox(root);
                String tag = Long.toHexString(System.nanoTime());
                Map<String, String> built = build(nix, List.of(
                        "(kit.httpService { name = \"web-v1\"; body = \"hello from v1 " + tag + "\"; })",
                        "(kit.httpService { name = \"web-v2\"; body = \"hello from v2 " + tag + "\"; })",
                        "(kit.httpService { name = \"web-broken\"; body = \"broken " + tag + "\"; healthy = false; })"));
                List<String> paths = List.of(built.get("web-v1"), built.get("web-v2"), built.get("web-broken"));
                Path secret = root.resolve("kit.sk");
                String publicKey = keyPair(nix, "procurator-test-kit", secret);
                String cacheUrl = "file://" + root.resolve("cache");
                push(nix, cacheUrl, secret, paths);
                for (String path : paths) {
                    nix(nix, "nix-store", "--delete", path).requireSuccess();
                }
                kit = new Kit(paths.get(0), paths.get(1), paths.get(2), cacheUrl, publicKey, secret, nix);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return kit;
    }

    /**
     * A new closure of the web service (a store path no test has used), signed into the kit's cache and absent from
     * the local store: a worker has to substitute it.
     */
    public static String freshClosure(String name, String body) {
        Kit shared = shared();
        return cachedOnly(shared, name, body, shared.secretKey());
    }

    /**
     * A new closure in the kit's cache signed by a key the workers do not trust (and absent from the local store): a
     * worker must refuse it.
     */
    public static String wronglySignedClosure() {
        Kit shared = shared();
        Path wrong = shared.secretKey().resolveSibling("wrong-" + System.nanoTime() + ".sk");
        keyPair(shared.nix(), "attacker", wrong);
        return cachedOnly(shared, "web-forged", "forged", wrong);
    }

    private static String cachedOnly(Kit shared, String name, String body, Path signingKey) {
        String path = build(shared.nix(), List.of("(kit.httpService { name = \"" + name + "\"; body = \"" + body + " "
                + System.nanoTime() + "\"; })")).get(name);
        push(shared.nix(), shared.cacheUrl(), signingKey, List.of(path));
        nix(shared.nix(), "nix-store", "--delete", path).requireSuccess();
        return path;
    }

    /**
     * Builds {@code kit.<attribute>} expressions of nix/lib/microvm.nix; their out paths by name ({@code web-v1}).
     * (Nix prints the results of a list in an order of its own.)
     */
    public static Map<String, String> build(NixSandbox nix, List<String> expressions) {
        String expression = "let kit = import " + REPO.resolve("nix/lib/microvm.nix") + " { kernelDir = \""
                + kernelDir() + "\"; }; in [ " + String.join(" ", expressions) + " ]";
        ProcessResult result = nix(nix, "nix", "build", "--impure", "--no-link", "--json", "--expr", expression)
                .requireSuccess();
        Matcher out = OUT.matcher(result.stdout());
        Map<String, String> paths = new java.util.HashMap<>();
        while (out.find()) {
            paths.put(out.group(1).substring("/nix/store/".length() + 33), out.group(1));
        }
        if (paths.size() != expressions.size()) {
            throw new IllegalStateException("nix build printed " + paths.size() + " out paths: " + result.stdout());
        }
        return paths;
    }

    /** Pushes closures into a binary cache, signing them with {@code secretKey} on the way. */
    public static void push(NixSandbox nix, String cacheUrl, Path secretKey, List<String> paths) {
        List<String> argv = new java.util.ArrayList<>(List.of("nix", "copy", "--to",
                cacheUrl + "?compression=zstd&secret-key=" + secretKey));
        argv.addAll(paths);
        nix(nix, argv.toArray(String[]::new)).requireSuccess();
    }

    private static String keyPair(NixSandbox nix, String name, Path secret) {
        try {
            String secretKey = nix(nix, "nix", "key", "generate-secret", "--key-name", name).requireSuccess().stdout();
            Files.writeString(secret, secretKey);
            return RUNNER.run(Command.of("nix", "key", "convert-secret-to-public").withEnv(nix.environment())
                    .stdin(secretKey.getBytes())).requireSuccess().stdout().strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProcessResult nix(NixSandbox nix, String... argv) {
        return RUNNER.run(Command.of(argv).withEnv(nix.environment()).timeout(Duration.ofMinutes(10)));
    }

    /** The shared kernel directory, fetched with nix/guest/fetch-kernel.sh when missing. */
    public static Path kernelDir() {
        String configured = System.getenv("PROCURATOR_GUEST_KERNEL_DIR");
        Path dir = Path.of(configured == null || configured.isBlank() ? "/var/cache/procurator/guest-kernel" : configured);
        if (Files.isRegularFile(dir.resolve("version"))) {
            return dir;
        }
        ProcessResult fetch = RUNNER.run(Command.of("sh", REPO.resolve("nix/guest/fetch-kernel.sh").toString(),
                dir.toString()).timeout(Duration.ofMinutes(10)));
        if (!fetch.succeeded()) {
            throw new IllegalStateException("""
                    No guest kernel for the VM tests: nix/guest/fetch-kernel.sh %s failed:
                    %s
                    It needs apt (Debian's linux-image-amd64; run 'apt-get update' once) or an existing kernel directory \
                    in PROCURATOR_GUEST_KERNEL_DIR (vmlinux, modules/, version), readable by Nix's build users."""
                    .formatted(dir, fetch.stderr().strip()));
        }
        try {
            // Nix's build users read it: the cache directory must not be private.
            for (Path p = dir; p != null && p.startsWith("/var/cache"); p = p.getParent()) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // a directory we do not own: nix build says so if it cannot read it
        }
        return dir;
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temp dir: the system cleans it eventually
        }
    }

    private static Path findRepo() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("nix/lib/microvm.nix"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run the tests inside the repository (nix/lib/microvm.nix not found)");
        }
        return dir;
    }
}
