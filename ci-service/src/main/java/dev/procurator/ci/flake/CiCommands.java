package dev.procurator.ci.flake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.procurator.ci.log.StepLog;
import dev.procurator.ci.nix.CleanEnvironment;
import dev.procurator.ci.nix.NixSetup;
import dev.procurator.ci.pipeline.StepFailure;
import dev.procurator.common.process.Command;
import dev.procurator.common.process.ProcessInterruptedException;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.process.ProcessRunner;
import dev.procurator.common.process.ProcessTimeoutException;

/**
 * Runs one {@code procurator.ci} command with {@code sh -c} in its directory of the pipeline's work tree. The command
 * comes from the pushed repository: it gets a time limit, a capped log, and an environment of its own — PATH, a
 * HOME and TMPDIR inside the work area, the service's Nix configuration, the pipeline's coordinates and the step's
 * {@code env} — without any of the service's tokens or secrets.
 */
@Component
public class CiCommands {

    private final ProcessRunner runner;
    private final NixSetup nix;

    CiCommands(ProcessRunner runner, NixSetup nix) {
        this.runner = runner;
        this.nix = nix;
    }

    /** The pipeline the command runs for, as its environment tells it. */
    public record Context(long pipelineId, String repo, String branch, String commit, Path workArea, Path tree) {
    }

    public void run(CiConfig.Step step, Context context, StepLog log) {
        Path dir = context.tree().resolve(step.dir()).normalize();
        if (!dir.startsWith(context.tree()) || !Files.isDirectory(dir)) {
            throw new StepFailure("directory \"" + step.dir() + "\" does not exist in the commit");
        }
        log.line("$ " + step.command() + (step.dir().equals(".") ? "" : "   (in " + step.dir() + ")"));
        Command command = CleanEnvironment.command(environment(step, context), List.of("sh", "-c", step.command()))
                .in(dir).timeout(step.timeout()).onLine(log::line);
        ProcessResult result;
        try {
            result = runner.run(command);
        } catch (ProcessTimeoutException e) {
            throw new StepFailure("`" + step.command() + "` did not finish within " + step.timeout().toSeconds()
                    + " s and was killed");
        } catch (ProcessInterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        }
        if (!result.succeeded()) {
            throw new StepFailure("`" + step.command() + "` exited with " + result.exitCode());
        }
    }

    Map<String, String> environment(CiConfig.Step step, Context context) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", nix.environment().get("PATH"));
        env.put("LANG", "C.UTF-8");
        env.put("NIX_CONF_DIR", nix.environment().get("NIX_CONF_DIR"));
        env.put("HOME", context.workArea().resolve("home").toString());
        env.put("TMPDIR", context.workArea().resolve("tmp").toString());
        env.put("XDG_CACHE_HOME", context.workArea().resolve("cache").toString());
        env.put("CI", "true");
        env.put("PROCURATOR_CI", "true");
        env.put("PROCURATOR_PIPELINE_ID", Long.toString(context.pipelineId()));
        env.put("PROCURATOR_REPO", context.repo());
        env.put("PROCURATOR_BRANCH", context.branch());
        env.put("PROCURATOR_COMMIT", context.commit());
        env.put("PROCURATOR_CI_STEP", step.stepName());
        env.putAll(step.env());
        return env;
    }
}
