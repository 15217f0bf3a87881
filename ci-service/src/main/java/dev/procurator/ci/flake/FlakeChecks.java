package dev.procurator.ci.flake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

import dev.procurator.ci.CiProperties;
import dev.procurator.ci.checkout.FlakeSource;
import dev.procurator.ci.log.StepLog;
import dev.procurator.ci.nix.Nix;
import dev.procurator.ci.pipeline.StepFailure;
import dev.procurator.ci.retry.Retrier;
import tools.jackson.databind.ObjectMapper;

/** {@code nix flake check} of the pushed commit, and its {@code procurator.ci} section read and validated. */
@Component
public class FlakeChecks {

    private final Nix nix;
    private final ObjectMapper json;
    private final CiProperties properties;
    private final AsyncTaskExecutor executor;

    FlakeChecks(Nix nix, ObjectMapper json, CiProperties properties,
                @Qualifier("pipelineWorkExecutor") AsyncTaskExecutor executor) {
        this.nix = nix;
        this.json = json;
        this.properties = properties;
        this.executor = executor;
    }

    public CiConfig check(FlakeSource source, StepLog log) {
        // procurator.ci is read while the check runs (a small evaluation): the step waits for one, not for both.
        List<String> ciLog = Collections.synchronizedList(new ArrayList<>());
        Future<String> ciJson = executor.submit(() -> nix.run(List.of("eval", "--json", "--expr",
                        "(builtins.getFlake " + source.nixString() + ").procurator.ci or null"),
                properties.evaluationTimeout(), ciLog::add).stdout());
        String ci;
        try {
            nix.run(List.of("flake", "check", source.flakeRef()), properties.evaluationTimeout(), log);
            ci = ciJson.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Retrier.RetryInterrupted();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        } finally {
            ciJson.cancel(true);
            ciLog.forEach(log::line);
        }
        try {
            CiConfig config = CiConfig.parse(json.readTree(ci), properties.commandTimeout(),
                    properties.maxCommandTimeout());
            log.line(config.steps().isEmpty() ? "procurator.ci: no commands"
                    : "procurator.ci: " + config.steps().stream().map(CiConfig.Step::stepName).toList());
            return config;
        } catch (CiConfig.InvalidCiConfig invalid) {
            invalid.problems().forEach(log::line);
            throw new StepFailure("procurator.ci is invalid:\n" + invalid.getMessage());
        }
    }
}
