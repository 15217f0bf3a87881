package dev.procurator.ci.nix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.stereotype.Component;

import dev.procurator.ci.pipeline.StepFailure;
import dev.procurator.common.process.Command;
import dev.procurator.common.process.ProcessInterruptedException;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.process.ProcessRunner;
import dev.procurator.common.process.ProcessTimeoutException;

/**
 * Runs {@code nix} for a step: the service's Nix configuration and nothing else in its environment, a time limit, every
 * output line to the step's log, and on failure a {@link StepFailure} carrying Nix's own error message.
 */
@Component
public class Nix {

    /** Longest failure message kept on a step (the full output is in its log). */
    static final int MESSAGE_LIMIT = 3900;

    private final NixSetup setup;
    private final ProcessRunner runner;

    Nix(NixSetup setup, ProcessRunner runner) {
        this.setup = setup;
        this.runner = runner;
    }

    /** Runs {@code nix args...}, each output line to {@code log}; returns its result if it exited 0. */
    public ProcessResult run(List<String> args, Duration timeout, Consumer<String> log) {
        return run(args, Map.of(), timeout, log);
    }

    /** The same, with settings passed as {@code --option}s that stay out of the log (a netrc file, say). */
    public ProcessResult run(List<String> args, Map<String, String> options, Duration timeout, Consumer<String> log) {
        String nix = setup.executable().map(Object::toString)
                .orElseThrow(() -> new StepFailure("'nix' is not installed or not on PATH of the CI service"));
        List<String> argv = new ArrayList<>(List.of(nix));
        argv.addAll(args);
        options.forEach((name, value) -> argv.addAll(List.of("--option", name, value)));
        log.accept("$ nix " + String.join(" ", args));
        Command command = CleanEnvironment.command(setup.environment(), argv).timeout(timeout).onLine(log);
        ProcessResult result;
        try {
            result = runner.run(command);
        } catch (ProcessTimeoutException e) {
            throw new StepFailure("nix " + args.get(0) + " did not finish within " + timeout.toMinutes()
                    + " min and was killed");
        } catch (ProcessInterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        }
        if (!result.succeeded()) {
            throw new StepFailure(errorOf(result));
        }
        return result;
    }

    /** Nix's error: from its first {@code error:} line to the end of stderr (build logs come before it). */
    static String errorOf(ProcessResult result) {
        String stderr = result.stderr().strip();
        int error = stderr.startsWith("error:") ? 0 : stderr.indexOf("\nerror:") + 1;
        String message = error > 0 || stderr.startsWith("error:") ? stderr.substring(error)
                : "nix exited with " + result.exitCode() + (stderr.isEmpty() ? "" : ": " + lastLines(stderr));
        return message.length() > MESSAGE_LIMIT ? message.substring(0, MESSAGE_LIMIT) + " ..." : message;
    }

    private static String lastLines(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 10), lines.length));
    }
}
