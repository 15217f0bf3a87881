package dev.procurator.forge;

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
 * Runs the real {@code git} client isolated from the machine: own HOME, no system config, never prompting.
 * Credentials travel in the remote URL ({@code http://user:token@host/...}).
 */
public final class GitCli {

    private static final ProcessRunner RUNNER = new ProcessRunner();

    private final Path home;

    public GitCli(Path home) {
        this.home = home;
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ProcessResult run(Path dir, String... args) {
        return run(dir, List.of(), args);
    }

    public ProcessResult run(Path dir, List<String> env, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("git");
        argv.addAll(List.of(args));
        Command command = Command.of(argv).in(dir).timeout(Duration.ofMinutes(2))
                .withEnv("HOME", home.toString())
                .withEnv("XDG_CONFIG_HOME", home.resolve(".config").toString())
                .withEnv("GIT_CONFIG_NOSYSTEM", "1")
                .withEnv("GIT_TERMINAL_PROMPT", "0")
                .withEnv("GIT_ASKPASS", "")
                .withEnv("SSH_ASKPASS", "")
                .withEnv("GIT_AUTHOR_NAME", "Test Author")
                .withEnv("GIT_AUTHOR_EMAIL", "author@example.com")
                .withEnv("GIT_COMMITTER_NAME", "Test Committer")
                .withEnv("GIT_COMMITTER_EMAIL", "committer@example.com");
        for (String kv : env) {
            int eq = kv.indexOf('=');
            command = command.withEnv(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return RUNNER.run(command);
    }

    public ProcessResult ok(Path dir, String... args) {
        ProcessResult result = run(dir, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed (" + result.exitCode() + "):\n"
                    + result.stdout() + result.stderr());
        }
        return result;
    }

    /** A fresh working repository on branch main with one commit per message. */
    public Path newWorkTree(Path dir, String... messages) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ok(dir, "init", "-q", "-b", "main");
        for (String m : messages) {
            commit(dir, m);
        }
        return dir;
    }

    public String commit(Path dir, String message) {
        try {
            Files.writeString(dir.resolve("file.txt"), message + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ok(dir, "add", "-A");
        ok(dir, "commit", "-q", "-m", message);
        return head(dir);
    }

    public String head(Path dir) {
        return ok(dir, "rev-parse", "HEAD").stdout().strip();
    }
}
