package dev.procurator.ci.closure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.PostConstruct;

import org.springframework.stereotype.Component;

import dev.procurator.ci.CiProperties;
import dev.procurator.ci.log.StepLog;
import dev.procurator.ci.nix.Nix;
import dev.procurator.ci.pipeline.StepFailure;
import dev.procurator.ci.retry.Retrier;
import dev.procurator.ci.retry.TransientFailure;
import dev.procurator.common.auth.AdminToken;
import dev.procurator.common.config.ProcuratorProperties;

/**
 * Pushes closures to the platform's binary cache with the real client:
 * {@code nix copy --to "$PROCURATOR_CACHE_URL/<cache>?compression=zstd"}, which sends only what the cache lacks. The
 * cache token reaches Nix through a throw-away netrc (mode 600, deleted right after) passed as an option that is never
 * logged. Pushes of this instance run one at a time: Nix 2.8 fails concurrent copies of overlapping closures
 * ("coroutine has finished", notes/nix.md). An unreachable cache, a server error or such a failure is retried with
 * backoff; a refused token is not.
 */
@Component
public class CachePusher {

    private final Nix nix;
    private final Retrier retrier;
    private final CiProperties properties;
    private final String cacheUrl;
    private final String token;
    private final Path scratch;
    private final ReentrantLock oneAtATime = new ReentrantLock(true);

    CachePusher(Nix nix, Retrier retrier, CiProperties properties, ProcuratorProperties platform,
                AdminToken adminToken) {
        this.nix = nix;
        this.retrier = retrier;
        this.properties = properties;
        this.cacheUrl = platform.cacheUrl() + "/" + properties.cache();
        this.token = properties.cacheToken() == null || properties.cacheToken().isBlank()
                ? adminToken.value() : properties.cacheToken().strip();
        this.scratch = platform.dataDir().resolve("tmp");
    }

    /** A netrc left by a crash in the middle of a push is removed at the next start. */
    @PostConstruct
    void removeLeftoverNetrcs() throws IOException {
        if (Files.isDirectory(scratch)) {
            try (var files = Files.list(scratch)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("netrc")).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The store URL pushes go to (without the compression parameter). */
    public String cacheUrl() {
        return cacheUrl;
    }

    public void push(Collection<String> storePaths, StepLog log) {
        if (storePaths.isEmpty()) {
            log.line("nothing to push");
            return;
        }
        List<String> args = new ArrayList<>(List.of("copy", "--to", cacheUrl + "?compression=zstd"));
        args.addAll(new TreeSet<>(storePaths));
        retrier.run("pushing to the cache " + cacheUrl, log::line, () -> pushOnce(args, log));
    }

    private void pushOnce(List<String> args, StepLog log) {
        oneAtATime.lock();
        Path netrc = null;
        try {
            netrc = netrc();
            nix.run(args, Map.of("netrc-file", netrc.toString()), properties.buildTimeout(), log);
        } catch (StepFailure failure) {
            String message = failure.getMessage();
            if (message.contains("HTTP error 401") || message.contains("HTTP error 403")) {
                throw new StepFailure("the cache refused the CI's token: " + message);
            }
            throw new TransientFailure(message);
        } finally {
            oneAtATime.unlock();
            deleteQuietly(netrc);
        }
    }

    private Path netrc() {
        try {
            Files.createDirectories(scratch);
            Path file = Files.createTempFile(scratch, "netrc", "",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            String host = URI.create(cacheUrl).getHost();
            Files.writeString(file, "machine " + host + "\nlogin procurator\npassword " + token + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the netrc for the cache push", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover netrc is mode 600 in the service's own data dir, and removed at the next start
            }
        }
    }
}
