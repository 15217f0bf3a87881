package dev.procurator.ci.checkout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.springframework.stereotype.Component;

import dev.procurator.ci.CiProperties;
import dev.procurator.ci.log.StepLog;
import dev.procurator.ci.pipeline.StepFailure;
import dev.procurator.ci.retry.TransientFailure;
import dev.procurator.common.auth.AdminToken;
import dev.procurator.common.config.ProcuratorProperties;

/**
 * One bare clone per forge repository under {@code <data dir>/git/<owner>/<repo>.git}, fetched incrementally with
 * JGit (only the pushed branch, only what is new), never a full clone per pipeline. The forge token lives only in this
 * class's JGit credentials: no program CI starts ever sees it.
 */
@Component
public class RepoMirror {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final int TIMEOUT_SECONDS = 60;

    private final Path root;
    private final String forgeUrl;
    private final CredentialsProvider credentials;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    RepoMirror(ProcuratorProperties platform, CiProperties properties, AdminToken adminToken) {
        this.root = platform.dataDir().resolve("git");
        this.forgeUrl = platform.forgeUrl();
        String token = properties.forgeToken() == null || properties.forgeToken().isBlank()
                ? adminToken.value() : properties.forgeToken().strip();
        this.credentials = new UsernamePasswordCredentialsProvider("procurator", token);
    }

    /** Brings {@code commit} of {@code branch} into the cached clone and pins it for Nix. */
    public FlakeSource fetch(String repo, String branch, String commit, StepLog log) {
        ObjectId id = ObjectId.fromString(requireSha(commit));
        Path clone = cloneDir(repo);
        ReentrantLock lock = locks.computeIfAbsent(repo, r -> new ReentrantLock());
        lock.lock();
        try (Git git = openOrInit(clone)) {
            Repository repository = git.getRepository();
            if (!repository.getObjectDatabase().has(id)) {
                String spec = "+" + Constants.R_HEADS + branch + ":" + Constants.R_HEADS + branch;
                log.line("fetching " + spec + " from " + remote(repo));
                var result = git.fetch().setRemote(remote(repo)).setRefSpecs(new RefSpec(spec))
                        .setCredentialsProvider(credentials).setTimeout(TIMEOUT_SECONDS).call();
                Ref fetched = result.getAdvertisedRef(Constants.R_HEADS + branch);
                log.line(branch + " is at " + (fetched == null ? "(absent)" : fetched.getObjectId().name())
                        + " on the forge");
            } else {
                log.line(commit + " is already in the cached clone");
            }
            RevCommit revision = parseCommit(repository, id, branch);
            RefUpdate keep = repository.updateRef(FlakeSource.KEEP_PREFIX + commit);
            keep.setNewObjectId(revision);
            keep.forceUpdate();
            log.line("checked out " + commit + ": " + revision.getShortMessage());
            return new FlakeSource(repo, clone, commit);
        } catch (InvalidRemoteException e) {
            throw new StepFailure("the forge has no repository " + repo + " readable with the CI's token: "
                    + e.getMessage());
        } catch (TransportException e) {
            throw transportFailure(repo, e);
        } catch (GitAPIException | IOException e) {
            throw new StepFailure("fetching " + repo + " failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The commit a branch points to on the forge now, for a manual pipeline. */
    public String resolveBranch(String repo, String branch) {
        try {
            Collection<Ref> heads = Git.lsRemoteRepository().setRemote(remote(repo)).setHeads(true)
                    .setCredentialsProvider(credentials).setTimeout(TIMEOUT_SECONDS).call();
            return heads.stream().filter(ref -> ref.getName().equals(Constants.R_HEADS + branch)).findFirst()
                    .map(ref -> ref.getObjectId().name())
                    .orElseThrow(() -> new UnknownBranch("no branch " + branch + " in " + repo));
        } catch (InvalidRemoteException e) {
            throw new UnknownRepository("the forge has no repository " + repo + " readable with the CI's token");
        } catch (TransportException e) {
            RuntimeException failure = transportFailure(repo, e);
            if (failure instanceof StepFailure) {
                throw new UnknownRepository(failure.getMessage());
            }
            throw failure;
        } catch (GitAPIException e) {
            throw new TransientFailure("listing the branches of " + repo + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the files of {@code source}'s commit into {@code workTree} (a git work tree sharing the cached clone's
     * objects), for {@code procurator.ci} commands that need one.
     */
    public void checkOut(FlakeSource source, Path workTree) {
        try {
            Path gitDir = workTree.resolve(Constants.DOT_GIT);
            try (Repository created = FileRepositoryBuilder.create(gitDir.toFile())) {
                created.create();
            }
            Path alternates = Files.createDirectories(gitDir.resolve("objects/info")).resolve("alternates");
            Files.writeString(alternates, source.gitDir().resolve("objects").toAbsolutePath() + "\n");
            try (Repository work = FileRepositoryBuilder.create(gitDir.toFile()); RevWalk walk = new RevWalk(work)) {
                RevCommit commit = walk.parseCommit(ObjectId.fromString(source.commit()));
                DirCacheCheckout checkout = new DirCacheCheckout(work, work.lockDirCache(), commit.getTree());
                checkout.setFailOnConflict(true);
                checkout.checkout();
                RefUpdate head = work.updateRef(Constants.HEAD, true);
                head.setNewObjectId(commit);
                head.forceUpdate();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check out " + source.commit() + " into " + workTree, e);
        }
    }

    private RevCommit parseCommit(Repository repository, ObjectId id, String branch) throws IOException {
        if (!repository.getObjectDatabase().has(id)) {
            throw new StepFailure("commit " + id.name() + " is not on branch " + branch
                    + " of the forge any more (force-pushed away?)");
        }
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.parseCommit(id);
        }
    }

    private static RuntimeException transportFailure(String repo, TransportException e) {
        String message = String.valueOf(e.getMessage());
        if (e.getCause() instanceof NoRemoteRepositoryException) {
            return new StepFailure("the forge has no repository " + repo + " readable with the CI's token");
        }
        if (message.contains("not authorized") || message.contains("Authentication is required")
                || message.contains("not permitted")) {
            return new StepFailure("the forge refused the CI's token for " + repo + ": " + message);
        }
        return new TransientFailure("the forge is unreachable: " + message, e);
    }

    private Git openOrInit(Path clone) throws IOException, GitAPIException {
        if (Files.isDirectory(clone.resolve("objects"))) {
            return Git.open(clone.toFile());
        }
        Files.createDirectories(clone.getParent());
        return Git.init().setBare(true).setDirectory(clone.toFile()).call();
    }

    private Path cloneDir(String repo) {
        return root.resolve(repo + ".git");
    }

    private String remote(String repo) {
        return forgeUrl + "/" + repo + ".git";
    }

    private static String requireSha(String commit) {
        if (commit == null || !SHA.matcher(commit).matches()) {
            throw new StepFailure("not a commit id: " + commit);
        }
        return commit;
    }

    /** The forge has no such repository (or the CI's token may not read it). */
    public static final class UnknownRepository extends RuntimeException {
        UnknownRepository(String message) {
            super(message, null, false, false);
        }
    }

    /** The repository has no such branch. */
    public static final class UnknownBranch extends RuntimeException {
        UnknownBranch(String message) {
            super(message, null, false, false);
        }
    }
}
