package dev.procurator.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.procurator.e2e.ServiceJar;

/** The real {@code procurator} CLI jar as a process, configured by environment only (no file in the user's home). */
final class Cli {

    record Result(int exit, String out, String err) {
        Result requireSuccess() {
            assertThat(exit).as("exit code; stdout:\n%s\nstderr:\n%s", out, err).isZero();
            return this;
        }
    }

    private final Path home;
    private final Map<String, String> env;

    Cli(Path home, Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    Result run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    Result run(Map<String, String> extraEnv, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ServiceJar.java(), "-jar",
                ServiceJar.REPO.resolve("cli/target/cli.jar").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet()
                .removeIf(name -> name.startsWith("PROCURATOR_") || name.equals("XDG_CONFIG_HOME"));
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(env);
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", args) + " hung");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
