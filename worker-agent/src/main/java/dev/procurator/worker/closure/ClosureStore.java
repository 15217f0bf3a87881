package dev.procurator.worker.closure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.procurator.common.process.Command;
import dev.procurator.common.process.ProcessException;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.process.ProcessRunner;

/**
 * The closures on this host. {@link #fetch} substitutes a closure with the real {@code nix copy --from <cache>},
 * signatures required ({@code require-sigs}, the cache's key as the only trusted one) and negative narinfo caching
 * off, then pins it with a GC root of this agent's own ({@code <data dir>/gcroots/<name>}); a path that is already
 * valid in the host's store is pinned without a download (the host's store is trusted: on a worker, paths get there
 * through this agent's verified substitution). Replicas asking for one closure at once share one fetch.
 * {@link #retain} drops the roots of closures no replica needs, so the host's garbage collector may free them.
 */
public class ClosureStore {

    private static final Logger log = LoggerFactory.getLogger(ClosureStore.class);
    private static final Pattern STORE_PATH = Pattern.compile("/nix/store/[0-9a-df-np-sv-z]{32}-[A-Za-z0-9+\\-._?=]+");
    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(30);

    private final ProcessRunner runner;
    private final Path roots;
    private final Map<String, CompletableFuture<Closure>> inFlight = new ConcurrentHashMap<>();

    public ClosureStore(ProcessRunner runner, Path roots) {
        this.runner = runner;
        this.roots = roots;
        try {
            Files.createDirectories(roots);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + roots, e);
        }
    }

    /** Rejects anything that is not a plain store path before it reaches a command line. */
    public static void requireStorePath(String storePath) {
        if (storePath == null || !STORE_PATH.matcher(storePath).matches()) {
            throw new ClosureException("not a Nix store path: '" + storePath + "'");
        }
    }

    /** Fetches (or shares the fetch already under way of) {@code storePath}; blocks until it is pinned. */
    public Closure fetch(String storePath, Supplier<BinaryCache> cache) {
        requireStorePath(storePath);
        CompletableFuture<Closure> mine = new CompletableFuture<>();
        CompletableFuture<Closure> running = inFlight.putIfAbsent(storePath, mine);
        if (running != null) {
            return await(running);
        }
        try {
            mine.complete(substituteAndPin(storePath, cache));
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            inFlight.remove(storePath, mine);
        }
        return await(mine);
    }

    /** Drops every root of this agent except those of {@code needed} (current and rollback closures). */
    public void retain(Collection<String> needed) {
        Set<Path> keep = needed.stream().filter(p -> p != null && !p.isBlank()).map(this::rootOf)
                .collect(java.util.stream.Collectors.toSet());
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(roots)) {
            for (Path root : entries) {
                if (!keep.contains(root) && !inFlight.containsKey(target(root))) {
                    Files.deleteIfExists(root);
                    log.info("Released closure {} (no replica needs it)", root.getFileName());
                }
            }
        } catch (IOException e) {
            log.warn("Cannot release closures under {}: {}", roots, e.getMessage());
        }
    }

    private Closure substituteAndPin(String storePath, Supplier<BinaryCache> cacheSource) {
        long start = System.nanoTime();
        if (!valid(storePath)) {
            BinaryCache cache = cacheSource.get();   // asked only now: a closure already here needs no cache
            ProcessResult copy = nix(Command.of("nix", "copy", "--from", cache.url(), storePath,
                    "--option", "trusted-public-keys", cache.publicKey(),
                    "--option", "require-sigs", "true",
                    "--option", "narinfo-cache-negative-ttl", "0",
                    "--extra-experimental-features", "nix-command"));
            if (!copy.succeeded()) {
                throw new ClosureException("refused " + storePath + " from " + cache.url() + ": " + lastLine(copy.stderr()));
            }
            log.info("Fetched closure {} from {} in {} ms", storePath, cache.url(), (System.nanoTime() - start) / 1_000_000);
        }
        // The path is valid now: --realise only registers the root (an indirect one, under our data dir).
        ProcessResult root = nix(Command.of("nix-store", "--add-root", rootOf(storePath).toString(), "--realise",
                storePath));
        if (!root.succeeded()) {
            throw new ClosureException("cannot pin " + storePath + ": " + lastLine(root.stderr()));
        }
        return Closure.read(storePath);
    }

    private boolean valid(String storePath) {
        return nix(Command.of("nix-store", "--check-validity", storePath)).succeeded();
    }

    private ProcessResult nix(Command command) {
        try {
            return runner.run(command.timeout(FETCH_TIMEOUT));
        } catch (ProcessException e) {
            throw new ClosureException(e.getMessage());
        }
    }

    private Path rootOf(String storePath) {
        return roots.resolve(Path.of(storePath).getFileName().toString());
    }

    private static String target(Path root) {
        try {
            return Files.readSymbolicLink(root).toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static Closure await(CompletableFuture<Closure> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ClosureException(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClosureException("interrupted while fetching");
        }
    }

    private static String lastLine(String stderr) {
        String[] lines = stderr.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("error:")) {
                return lines[i].substring("error:".length()).strip();
            }
        }
        return lines[lines.length - 1].strip();
    }
}
