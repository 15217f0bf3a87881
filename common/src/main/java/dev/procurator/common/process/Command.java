package dev.procurator.common.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An external program to run: its arguments, working directory, extra environment, time limit, optional stdin and
 * an optional listener that sees each output line as it is printed (live CI logs).
 */
public record Command(List<String> argv, Path workDir, Map<String, String> env, Duration timeout, byte[] stdin,
                      Consumer<String> lineListener) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public Command {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs a program");
        }
        argv = List.copyOf(argv);
        env = Map.copyOf(env == null ? Map.of() : env);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), null, Map.of(), null, null, null);
    }

    public static Command of(List<String> argv) {
        return new Command(argv, null, Map.of(), null, null, null);
    }

    public String program() {
        return argv.get(0);
    }

    public Command in(Path dir) {
        return new Command(argv, dir, env, timeout, stdin, lineListener);
    }

    public Command withEnv(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.put(name, value);
        return new Command(argv, workDir, merged, timeout, stdin, lineListener);
    }

    public Command withEnv(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.putAll(more);
        return new Command(argv, workDir, merged, timeout, stdin, lineListener);
    }

    public Command timeout(Duration limit) {
        return new Command(argv, workDir, env, limit, stdin, lineListener);
    }

    public Command stdin(byte[] input) {
        return new Command(argv, workDir, env, timeout, input, lineListener);
    }

    public Command onLine(Consumer<String> listener) {
        return new Command(argv, workDir, env, timeout, stdin, listener);
    }

    public Command plus(String... more) {
        List<String> all = new ArrayList<>(argv);
        all.addAll(List.of(more));
        return new Command(all, workDir, env, timeout, stdin, lineListener);
    }

    /** The command line as a human reads it in logs and errors. */
    public String display() {
        return String.join(" ", argv);
    }
}
