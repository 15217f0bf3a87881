package dev.procurator.forge.repo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.storage.file.WindowCacheConfig;
import org.eclipse.jgit.util.FS;
import org.springframework.stereotype.Component;

import dev.procurator.common.config.ProcuratorProperties;
import dev.procurator.forge.ForgeProperties;

/**
 * Where bare repositories live ({@code <data dir>/repos/<owner>/<name>.git}) and how they are created, opened and
 * removed. Names reaching here were validated by {@link RepoNames} and the user name rules, and the resolved path
 * is checked to stay under the root anyway.
 */
@Component
public class GitStorage {

    private final Path root;

    GitStorage(ProcuratorProperties procurator, ForgeProperties forge) {
        this.root = procurator.dataDir().resolve("repos").toAbsolutePath().normalize();
        WindowCacheConfig cache = new WindowCacheConfig();
        cache.setPackedGitLimit(forge.packedGitLimit().toBytes());
        cache.setPackedGitOpenFiles(256);
        // Large memory-mapped windows: walking history resolves long tree delta chains, each hop a window lookup.
        cache.setPackedGitWindowSize(64 * 1024);
        cache.setPackedGitMMAP(true);
        cache.setDeltaBaseCacheLimit(128 * 1024 * 1024);
        cache.setStreamFileThreshold(64 * 1024 * 1024);
        cache.install();
        if (forge.jdkSha1() && System.getProperty(SHA1_IMPLEMENTATION) == null) {
            System.setProperty(SHA1_IMPLEMENTATION, "jdkNative");
        }
    }

    /** JGit reads this system property on every new SHA-1 instance. */
    private static final String SHA1_IMPLEMENTATION = "org.eclipse.jgit.util.sha1.implementation";

    public Path root() {
        return root;
    }

    public Path pathOf(String owner, String name) {
        Path dir = root.resolve(owner).resolve(name + ".git").normalize();
        if (!dir.startsWith(root) || !dir.getParent().getParent().equals(root)) {
            throw new IllegalArgumentException("repository path escapes the storage root: " + owner + "/" + name);
        }
        return dir;
    }

    public boolean exists(String owner, String name) {
        return Files.isDirectory(pathOf(owner, name));
    }

    /** Creates an empty bare repository whose HEAD points at {@code defaultBranch}. */
    public void create(String owner, String name, String defaultBranch) {
        File dir = pathOf(owner, name).toFile();
        try (Repository repo = new FileRepositoryBuilder().setGitDir(dir).setBare().build()) {
            repo.create(true);
            RefUpdate head = repo.updateRef(Constants.HEAD);
            head.disableRefLog();
            head.link(Constants.R_HEADS + defaultBranch);
            var config = repo.getConfig();
            // Reject corrupt objects at receive time rather than serving them later.
            config.setBoolean("receive", null, "fsckObjects", true);
            config.setBoolean("core", null, "logAllRefUpdates", true);
            durableWrites(config);
            config.save();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create repository " + dir, e);
        }
    }

    /** Opens (from JGit's cache of open repositories) a repository; the caller closes it. */
    public Repository open(String owner, String name) throws IOException {
        Repository repo = RepositoryCache.open(RepositoryCache.FileKey.exact(pathOf(owner, name).toFile(), FS.DETECTED),
                true);
        StoredConfig config = repo.getConfig();
        if (!config.getBoolean("core", FSYNC_REF_FILES, false)) {
            synchronized (repo) { // one Repository instance per path (JGit's cache): one writer of its config
                if (!config.getBoolean("core", FSYNC_REF_FILES, false)) {
                    // A repository created before the policy below.
                    durableWrites(config);
                    config.save();
                }
            }
        }
        return repo;
    }

    private static final String FSYNC_REF_FILES = "fsyncRefFiles";

    /**
     * A push is acknowledged after its pack and refs are on disk, not only in the page cache: JGit always fsyncs a
     * received pack and its index before renaming them into place (and packed-refs), and with this setting also
     * every loose ref and reflog it writes (lock file, fsync, rename). The forge writes no loose objects, so JGit's
     * {@code core.fsyncObjectFiles} is left alone (C git warns about it on the server's repositories).
     */
    private static void durableWrites(StoredConfig config) {
        config.setBoolean("core", null, FSYNC_REF_FILES, true);
    }

    public void delete(String owner, String name) {
        Path dir = pathOf(owner, name);
        RepositoryCache.unregister(RepositoryCache.FileKey.exact(dir.toFile(), FS.DETECTED));
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete repository " + dir, e);
        }
    }
}
