package dev.procurator.cli.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import dev.procurator.cli.api.ApiCommand;
import dev.procurator.cli.api.CliConfig;
import dev.procurator.cli.api.CliException;
import dev.procurator.cli.api.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Pushes store paths with their closures through the real Nix client: {@code nix copy --to <cache>?compression=zstd},
 * authenticated by a throw-away netrc file (mode 600) holding the token, so it never appears on a command line.
 */
@Command(name = "push", description = "Push store paths (and their closures) to a cache with nix copy.")
final class CachePushCommand extends ApiCommand {

    @Option(names = "--cache", defaultValue = "main", description = "Cache name (default: ${DEFAULT-VALUE}).")
    String cache;

    @Parameters(arity = "1..*", description = "Store paths or links to them (e.g. ./result).")
    List<String> paths;

    @Override
    public Integer call() throws Exception {
        Platform platform = platform();
        String base = platform.config().url(CliConfig.Endpoint.CACHE);
        Path netrc = writeNetrc(URI.create(base).getHost(), platform.config().requireToken());
        try {
            List<String> command = new ArrayList<>(List.of("nix", "--extra-experimental-features", "nix-command",
                    "copy", "--option", "netrc-file", netrc.toString(),
                    "--to", base + "/" + cache + "?compression=zstd"));
            command.addAll(paths);
            Process nix;
            try {
                nix = new ProcessBuilder(command).inheritIO().start();
            } catch (IOException e) {
                throw new CliException("'nix' is not installed or not on PATH: it is needed to push store paths.");
            }
            int exit = nix.waitFor();
            if (exit != 0) {
                throw new CliException("nix copy failed (exit " + exit + ")");
            }
            System.out.printf("Pushed %d path(s) and their closures to %s/%s%n", paths.size(), base, cache);
            return 0;
        } finally {
            Files.deleteIfExists(netrc);
        }
    }

    private static Path writeNetrc(String host, String token) {
        try {
            Path file = Files.createTempFile("procurator-netrc", "",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, "machine " + host + " login procurator password " + token + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a temporary netrc file", e);
        }
    }
}
