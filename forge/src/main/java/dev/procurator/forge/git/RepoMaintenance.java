package dev.procurator.forge.git;

import java.io.IOException;
import java.util.Collection;
import java.text.ParseException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.Pack;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Component;

import dev.procurator.forge.ForgeProperties;
import dev.procurator.forge.repo.GitStorage;

/**
 * Every push adds a pack; many packs make every read slower, and a pack without a reachability bitmap makes every
 * clone count its objects. After a push leaves a repository with more than {@code gc-pack-threshold} packs, or with
 * {@code gc-bitmap-objects} objects and no bitmap (a large first push), a JGit GC repacks it in the background (one repository at a time, never twice at
 * once for the same one, on the {@code repoMaintenanceExecutor}), which also writes a reachability bitmap so later clones skip counting objects. JGit's
 * GC is safe alongside readers and pushes.
 */
@Component
public class RepoMaintenance {

    private static final Logger log = LoggerFactory.getLogger(RepoMaintenance.class);

    private final GitStorage storage;
    private final int threshold;
    private final int bitmapObjects;
    private final TaskExecutor worker;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();

    RepoMaintenance(GitStorage storage, ForgeProperties properties,
                    @Qualifier(MaintenanceConfig.EXECUTOR) TaskExecutor worker) {
        this.storage = storage;
        this.worker = worker;
        this.threshold = properties.gcPackThreshold();
        this.bitmapObjects = properties.gcBitmapObjects();
    }

    /** Called after each accepted push. */
    public void afterPush(String owner, String name, Repository git) {
        if (!(git instanceof FileRepository file)) {
            return;
        }
        Collection<Pack> current = file.getObjectDatabase().getPacks();
        int packs = current.size();
        boolean tooManyPacks = threshold > 0 && packs > threshold;
        boolean largeWithoutBitmap = bitmapObjects > 0 && noBitmap(current) && objects(current) >= bitmapObjects;
        if (!(tooManyPacks || largeWithoutBitmap) || !queued.add(owner + "/" + name)) {
            return;
        }
        worker.execute(() -> {
            try (Repository repo = storage.open(owner, name)) {
                long started = System.nanoTime();
                GC gc = new GC((FileRepository) repo);
                // Replaced packs go at once (JGit's default keeps them an hour): on Linux a reader that still has
                // one open keeps its mapping, and JGit rescans the pack list when a pack disappears.
                gc.setPackExpireAgeMillis(0);
                gc.gc().get();
                log.info("repo gc repo={}/{} packs_before={} packs_after={} took_ms={}", owner, name, packs,
                        ((FileRepository) repo).getObjectDatabase().getPacks().size(),
                        (System.nanoTime() - started) / 1_000_000);
            } catch (IOException | ParseException | ExecutionException | GitAPIException | RuntimeException e) {
                log.warn("repo gc failed repo={}/{}: {}", owner, name, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                queued.remove(owner + "/" + name);
            }
        });
    }

    private static boolean noBitmap(Collection<Pack> packs) {
        return packs.stream().noneMatch(pack -> pack.getPackFile().create(PackExt.BITMAP_INDEX).exists());
    }

    private static long objects(Collection<Pack> packs) {
        long total = 0;
        for (Pack pack : packs) {
            try {
                total += pack.getIndex().getObjectCount();
            } catch (IOException e) {
                log.debug("cannot count objects of {}: {}", pack.getPackFile(), e.toString());
            }
        }
        return total;
    }

    /** Repacks now and waits (the maintenance API); returns how many packs are left. */
    public int repackNow(String owner, String name) {
        try (Repository repo = storage.open(owner, name)) {
            GC gc = new GC((FileRepository) repo);
            gc.setPackExpireAgeMillis(0);
            gc.gc().get();
            int packs = ((FileRepository) repo).getObjectDatabase().getPacks().size();
            log.info("repo gc (requested) repo={}/{} packs_after={}", owner, name, packs);
            return packs;
        } catch (IOException | ParseException | ExecutionException | GitAPIException e) {
            throw new IllegalStateException("repack of " + owner + "/" + name + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
