package dev.procurator.forge.repo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.io.NullOutputStream;
import org.springframework.stereotype.Component;

import dev.procurator.common.error.ApiException;

/** Reads a repository's branches, history, files and diffs for the web UI and the browsing API. */
@Component
public class RepoBrowser {

    public record Branch(String name, String sha, String summary, Instant when) {
    }

    public record Commit(String sha, String shortSha, String summary, String message, String author,
                         String authorEmail, Instant when, List<String> parents) {
    }

    public record Entry(String name, String path, boolean directory, long size) {
    }

    public record Blob(String path, long size, boolean binary, boolean truncated, String text) {
    }

    public record DiffLine(String kind, String text) {
    }

    public record FileDiff(String change, String oldPath, String newPath, int added, int removed, boolean binary,
                           List<DiffLine> lines) {
    }

    private static final int MAX_BLOB = 512 * 1024;
    private static final int MAX_DIFF_LINES = 20_000;

    private final GitStorage storage;

    RepoBrowser(GitStorage storage) {
        this.storage = storage;
    }

    public List<Branch> branches(Repo repo) {
        try (Repository git = open(repo); RevWalk walk = new RevWalk(git)) {
            List<Branch> branches = new ArrayList<>();
            for (Ref ref : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                RevCommit c = walk.parseCommit(ref.getObjectId());
                branches.add(new Branch(Repository.shortenRefName(ref.getName()), c.name(), c.getShortMessage(),
                        c.getCommitterIdent().getWhenAsInstant()));
            }
            branches.sort(Comparator.comparing((Branch b) -> !b.name().equals(repo.defaultBranch()))
                    .thenComparing(Branch::when, Comparator.reverseOrder()));
            return branches;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commit a branch name, tag or SHA names; empty when it names nothing (e.g. an empty repository). */
    public Optional<String> resolve(Repo repo, String ref) {
        try (Repository git = open(repo)) {
            ObjectId id = git.resolve((ref == null || ref.isBlank() ? repo.defaultBranch() : ref) + "^{commit}");
            return Optional.ofNullable(id).map(ObjectId::name);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public List<Commit> log(Repo repo, String commitSha, int limit) {
        try (Repository git = open(repo); RevWalk walk = new RevWalk(git)) {
            walk.markStart(walk.parseCommit(ObjectId.fromString(commitSha)));
            List<Commit> commits = new ArrayList<>();
            for (RevCommit c : walk) {
                commits.add(commit(c));
                if (commits.size() >= limit) {
                    break;
                }
            }
            return commits;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Entry> tree(Repo repo, String commitSha, String path) {
        String dir = normalize(path);
        try (Repository git = open(repo); RevWalk walk = new RevWalk(git)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(commitSha));
            TreeWalk tw = dir.isEmpty() ? new TreeWalk(git) : TreeWalk.forPath(git, dir, commit.getTree());
            if (tw == null || (!dir.isEmpty() && !tw.isSubtree())) {
                throw ApiException.notFound("No directory '" + dir + "' at " + commitSha.substring(0, 10) + ".");
            }
            try (tw) {
                if (dir.isEmpty()) {
                    tw.addTree(commit.getTree());
                } else {
                    tw.enterSubtree();
                }
                List<Entry> entries = new ArrayList<>();
                while (tw.next()) {
                    boolean directory = tw.getFileMode(0) == FileMode.TREE;
                    long size = directory || tw.getFileMode(0) == FileMode.GITLINK ? 0
                            : git.getObjectDatabase().open(tw.getObjectId(0)).getSize();
                    entries.add(new Entry(tw.getNameString(), tw.getPathString(), directory, size));
                }
                entries.sort(Comparator.comparing((Entry e) -> !e.directory()).thenComparing(Entry::name));
                return entries;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Blob blob(Repo repo, String commitSha, String path) {
        String file = normalize(path);
        try (Repository git = open(repo); RevWalk walk = new RevWalk(git)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(commitSha));
            try (TreeWalk tw = file.isEmpty() ? null : TreeWalk.forPath(git, file, commit.getTree())) {
                if (tw == null || tw.isSubtree() || tw.getFileMode(0) == FileMode.GITLINK) {
                    throw ApiException.notFound("No file '" + file + "' at " + commitSha.substring(0, 10) + ".");
                }
                ObjectLoader loader = git.open(tw.getObjectId(0));
                long size = loader.getSize();
                byte[] head = loader.isLarge() ? loader.openStream().readNBytes(MAX_BLOB) : loader.getCachedBytes();
                boolean truncated = head.length > MAX_BLOB || size > MAX_BLOB;
                byte[] shown = head.length > MAX_BLOB ? java.util.Arrays.copyOf(head, MAX_BLOB) : head;
                boolean binary = RawText.isBinary(shown);
                return new Blob(file, size, binary, truncated,
                        binary ? "" : new String(shown, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Commit commit(Repo repo, String sha) {
        try (Repository git = open(repo); RevWalk walk = new RevWalk(git)) {
            return commit(walk.parseCommit(ObjectId.fromString(sha)));
        } catch (IOException e) {
            throw ApiException.notFound("No commit " + sha + " in " + repo.fullName() + ".");
        }
    }

    /** The commit's changes against its first parent (or the empty tree), one unified diff per file. */
    public List<FileDiff> diff(Repo repo, String sha) {
        try (Repository git = open(repo); RevWalk walk = new RevWalk(git)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
            RevCommit parent = commit.getParentCount() > 0 ? walk.parseCommit(commit.getParent(0)) : null;
            List<FileDiff> files = new ArrayList<>();
            int budget = MAX_DIFF_LINES;
            try (DiffFormatter scanner = new DiffFormatter(NullOutputStream.INSTANCE)) {
                scanner.setRepository(git);
                scanner.setDiffComparator(RawTextComparator.DEFAULT);
                scanner.setDetectRenames(true);
                for (DiffEntry entry : scanner.scan(parent == null ? null : parent.getTree(), commit.getTree())) {
                    FileDiff file = fileDiff(git, entry, budget);
                    budget -= file.lines().size();
                    files.add(file);
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileDiff fileDiff(Repository git, DiffEntry entry, int budget) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DiffFormatter formatter = new DiffFormatter(out)) {
            formatter.setRepository(git);
            formatter.setDiffComparator(RawTextComparator.DEFAULT);
            formatter.format(entry);
        }
        List<DiffLine> lines = new ArrayList<>();
        int added = 0;
        int removed = 0;
        boolean binary = false;
        boolean inHunks = false;
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n", -1)) {
            if (line.startsWith("@@")) {
                inHunks = true;
                lines.add(new DiffLine("hunk", line));
            } else if (!inHunks) {
                binary |= line.startsWith("Binary files");
            } else if (line.startsWith("+")) {
                added++;
                lines.add(new DiffLine("add", line));
            } else if (line.startsWith("-")) {
                removed++;
                lines.add(new DiffLine("del", line));
            } else if (!line.isEmpty() || lines.isEmpty()) {
                lines.add(new DiffLine(line.startsWith("\\") ? "meta" : "ctx", line));
            }
            if (lines.size() >= budget) {
                lines.add(new DiffLine("meta", "(diff truncated)"));
                break;
            }
        }
        return new FileDiff(entry.getChangeType().name().toLowerCase(), entry.getOldPath(), entry.getNewPath(),
                added, removed, binary, lines);
    }

    private static Commit commit(RevCommit c) {
        return new Commit(c.name(), c.abbreviate(10).name(), c.getShortMessage(), c.getFullMessage(),
                c.getAuthorIdent().getName(), c.getAuthorIdent().getEmailAddress(),
                c.getCommitterIdent().getWhenAsInstant(),
                java.util.Arrays.stream(c.getParents()).map(RevCommit::name).toList());
    }

    private static String normalize(String path) {
        String p = path == null ? "" : path.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        for (String part : p.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw ApiException.badRequest("invalid_path", "Paths inside a repository have no '.' or '..' parts.");
            }
        }
        return p;
    }

    private Repository open(Repo repo) throws IOException {
        return storage.open(repo.owner().name(), repo.name());
    }
}
