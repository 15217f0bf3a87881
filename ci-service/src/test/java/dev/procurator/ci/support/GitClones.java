package dev.procurator.ci.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.procurator.common.process.Command;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.process.ProcessRunner;

/**
 * Work trees of remote repositories, one per branch under {@code <root>/work}, committed to and pushed with the real
 * git as a developer does (author Alice, the test's own HOME, no system git config).
 */
public final class GitClones {

    private final Path root;
    private final ProcessRunner runner = new ProcessRunner();

    public GitClones(Path root) {
        this.root = root;
    }

    /** The work tree of {@code repo}'s {@code branch}, set up on first use with the branch's commits, if any. */
    public Path workTree(String repo, String branch, String remote) {
        Path work = root.resolve("work").resolve(repo).resolve(branch.replace('/', '_'));
        if (!Files.isDirectory(work.resolve(".git"))) {
            try {
                Files.createDirectories(work);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            git(work, "init", "-q", "--initial-branch=" + branch);
            git(work, "remote", "add", "origin", remote);
            if (!git(work, "ls-remote", "origin", "refs/heads/" + branch).stdout().isBlank()) {
                git(work, "fetch", "-q", "origin", branch);
                git(work, "reset", "-q", "--hard", "FETCH_HEAD");
            }
        }
        return work;
    }

    /** Commits everything in the work tree and pushes it to its branch; returns the new commit. */
    public String commitAndPush(Path work, String branch, String message) {
        git(work, "add", "-A");
        git(work, "commit", "-q", "--allow-empty", "-m", message);
        git(work, "push", "-q", "origin", "HEAD:refs/heads/" + branch);
        return git(work, "rev-parse", "HEAD").stdout().strip();
    }

    public ProcessResult git(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        return runner.run(Command.of(argv).in(dir).timeout(Duration.ofMinutes(1))
                .withEnv("HOME", root.resolve("home").toString()).withEnv("GIT_CONFIG_NOSYSTEM", "1")
                .withEnv("GIT_AUTHOR_NAME", "Alice").withEnv("GIT_AUTHOR_EMAIL", "alice@example.org")
                .withEnv("GIT_COMMITTER_NAME", "Alice").withEnv("GIT_COMMITTER_EMAIL", "alice@example.org"))
                .requireSuccess();
    }
}
