package dev.procurator.cli.up;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The kernel the example's guests are built from ({@code example/flake.nix} reads it from {@link #DIR} while the CI
 * builds): fetched once from Debian by {@code nix/guest/fetch-kernel.sh}, which does nothing when it is there.
 */
final class GuestKernel {

    static final Path DIR = Path.of("/var/cache/procurator/guest-kernel");
    private static final long FETCH_MINUTES = 10;

    private GuestKernel() {
    }

    /** @return null when the kernel is there (now), else why not */
    static String ensure(Path home, Output output) throws IOException, InterruptedException {
        if (Files.isRegularFile(DIR.resolve("version")) && Files.isRegularFile(DIR.resolve("vmlinux"))) {
            return null;
        }
        Path script = home.resolve("nix/guest/fetch-kernel.sh");
        output.say("the demo's microVMs need a guest kernel: fetching Debian's once into " + DIR
                + " (about 70 MB, " + script + ")");
        Process fetch = new ProcessBuilder("sh", script.toString(), DIR.toString()).redirectErrorStream(true).start();
        String log;
        try (var out = fetch.getInputStream()) {
            log = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!fetch.waitFor(FETCH_MINUTES, TimeUnit.MINUTES)) {
            fetch.destroyForcibly();
            return "fetching the guest kernel took more than " + FETCH_MINUTES + " minutes";
        }
        if (fetch.exitValue() != 0) {
            return "fetching the guest kernel failed (" + script + " " + DIR + "):\n" + log.strip()
                    + "\nIt needs apt (run 'apt-get update' once) and write access to " + DIR.getParent()
                    + " (run as root, or create it for your user).";
        }
        output.say("guest kernel " + Files.readString(DIR.resolve("version")).strip() + " ready in " + DIR);
        return null;
    }
}
