package dev.procurator.cache.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.testing.NixSandbox;

/**
 * The real nix client in common's {@link NixSandbox} (own NIX_CONF_DIR, HOME, XDG_CACHE_HOME; offline), plus what the
 * cache tests need on top: netrc files for tokens and offline, busybox-only closures (no nixpkgs).
 */
public final class NixEnv {

    private final Path root;
    private final NixSandbox sandbox;

    public NixEnv(Path root) {
        this.root = root;
        this.sandbox = new NixSandbox(root);
    }

    public Path root() {
        return root;
    }

    /** Runs nix with this environment; returns the result whatever the exit code. */
    public ProcessResult run(String... args) {
        return sandbox.run(root, args);
    }

    public ProcessResult ok(String... args) {
        ProcessResult result = run(args);
        if (!result.succeeded()) {
            throw new AssertionError(String.join(" ", args) + " failed (" + result.exitCode() + "):\n" + result.stderr());
        }
        return result;
    }

    /** Writes a netrc giving {@code token} as the password for 127.0.0.1. */
    public Path netrc(String name, String token) {
        try {
            return Files.writeString(root.resolve(name + ".netrc"),
                    "machine 127.0.0.1\nlogin procurator\npassword " + token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds {@code flake.nix} text (no inputs) in a fresh directory and returns the out paths of the given
     * attributes under {@code packages.x86_64-linux}.
     */
    public List<String> build(String flake, String... attributes) {
        try {
            Path dir = Files.createDirectories(root.resolve("flake"));
            Files.writeString(dir.resolve("flake.nix"), flake);
            List<String> outs = new ArrayList<>();
            for (String attribute : attributes) {
                String json = ok("nix", "build", "--no-link", "--json", "path:" + dir + "#" + attribute).stdout();
                Matcher m = Pattern.compile("\"out\":\"(/nix/store/[^\"]+)\"").matcher(json);
                if (!m.find()) {
                    throw new AssertionError("no out path in " + json);
                }
                outs.add(m.group(1));
            }
            return outs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A flake of a small closure: {@code app} references {@code lib}, which references {@code base}; {@code blob}
     * is {@code kib} thousand pseudo-random bytes (different for each {@code salt}). */
    public static String closureFlake(String salt, int kib) {
        return """
                {
                  outputs = { self }: let
                    mk = name: script: derivation {
                      inherit name; system = "x86_64-linux"; builder = "/bin/busybox"; args = [ "sh" "-c" script ];
                    };
                    base = mk "base-SALT" "/bin/busybox mkdir -p $out; echo base SALT > $out/base";
                    lib = mk "lib-SALT" "/bin/busybox mkdir -p $out; echo ${base} > $out/dep; /bin/busybox seq 1 2000 > $out/numbers";
                    blob = mk "blob-SALT" "/bin/busybox mkdir -p $out; echo SALT > $out/seed; /bin/busybox head -c KIB000 /dev/urandom > $out/data";
                  in {
                    packages.x86_64-linux = {
                      inherit base lib blob;
                      app = mk "app-SALT" "/bin/busybox mkdir -p $out/bin; echo ${lib} ${blob} > $out/refs; echo app > $out/bin/app";
                    };
                  };
                }
                """.replace("SALT", salt).replace("KIB", Integer.toString(kib));
    }
}
