package dev.procurator.cli.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.procurator.cli.api.CliException;

/**
 * The user's global git configuration, read and changed through {@code git config --global}, so where the file is
 * ({@code ~/.gitconfig} or {@code $XDG_CONFIG_HOME/git/config}), its syntax and its locking stay git's business.
 */
final class GitConfig {

    private static final long TIMEOUT_SECONDS = 30;

    /** Variables added to the inherited environment. */
    private final Map<String, String> environment;

    GitConfig() {
        this(Map.of());
    }

    /** With variables added to the inherited environment (a test's own {@code HOME}). */
    GitConfig(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * {@code git config --global <args>}: its exit code and output.
     *
     * @throws GitMissingException when there is no git to run
     */
    Result global(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "config", "--global"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new GitMissingException();
        }
        try {
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CliException("git config did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), out, err.strip());
        } catch (IOException e) {
            throw new CliException("git config failed: " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        }
    }

    /** As {@link #global}, failing unless git exits 0. */
    String require(String... args) {
        Result result = global(args);
        if (result.exit() != 0) {
            throw new CliException("git config --global " + String.join(" ", args) + " failed: " + result.err());
        }
        return result.out();
    }

    record Result(int exit, String out, String err) {
    }

    static final class GitMissingException extends CliException {
        GitMissingException() {
            super("git is not installed (or not on the PATH)");
        }
    }
}
