package dev.procurator.ci.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SortedMap;
import java.util.function.BooleanSupplier;

import jakarta.annotation.PostConstruct;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.FileSystemUtils;

import dev.procurator.ci.checkout.FlakeSource;
import dev.procurator.ci.checkout.RepoMirror;
import dev.procurator.ci.closure.CachePusher;
import dev.procurator.ci.closure.ClosureBuilder;
import dev.procurator.ci.deployment.ChangeDetector;
import dev.procurator.ci.deployment.Changes;
import dev.procurator.ci.deployment.DeploymentArtifact;
import dev.procurator.ci.deployment.Deployments;
import dev.procurator.ci.flake.BlueprintEvaluator;
import dev.procurator.ci.flake.CiCommands;
import dev.procurator.ci.flake.CiConfig;
import dev.procurator.ci.flake.Evaluation;
import dev.procurator.ci.flake.FlakeChecks;
import dev.procurator.ci.log.LogFlusher;
import dev.procurator.ci.log.StepLog;
import dev.procurator.ci.metrics.CiMetrics;
import dev.procurator.ci.publish.ControlPlanePublisher;
import dev.procurator.ci.retry.Retrier;
import dev.procurator.ci.status.CommitStatuses;
import dev.procurator.common.config.ProcuratorProperties;
import dev.procurator.common.process.ProcessInterruptedException;

/**
 * Runs one attempt of a pipeline, step by step: fetch, {@code nix flake check}, evaluation (blueprint, closures'
 * derivations and {@code procurator.ci} in one {@code nix eval}), the {@code procurator.ci} commands, the closure
 * build, change detection, the cache push, the deployment artifact and — only when something changed —
 * {@code publishState}. Each step is recorded with its status, timing and log; the first failure ends the
 * pipeline with the step's message, and nothing after it (above all, nothing is published).
 */
@Component
public class PipelineRunner {

    private static final Logger log = LoggerFactory.getLogger(PipelineRunner.class);

    private final PipelineStore pipelines;
    private final StepStore steps;
    private final LogFlusher logs;
    private final RepoMirror mirror;
    private final FlakeChecks flakeChecks;
    private final CiCommands ciCommands;
    private final BlueprintEvaluator evaluator;
    private final ClosureBuilder builder;
    private final CachePusher pusher;
    private final Deployments deployments;
    private final ControlPlanePublisher publisher;
    private final CommitStatuses statuses;
    private final PipelineUrls urls;
    private final CiMetrics metrics;
    private final Retrier retrier;
    private final TransactionTemplate tx;
    private final Path workRoot;

    PipelineRunner(PipelineStore pipelines, StepStore steps, LogFlusher logs, RepoMirror mirror,
                   FlakeChecks flakeChecks, CiCommands ciCommands, BlueprintEvaluator evaluator, ClosureBuilder builder,
                   CachePusher pusher, Deployments deployments, ControlPlanePublisher publisher,
                   CommitStatuses statuses, PipelineUrls urls, CiMetrics metrics, Retrier retrier,
                   TransactionTemplate tx, ProcuratorProperties platform) {
        this.pipelines = pipelines;
        this.steps = steps;
        this.logs = logs;
        this.mirror = mirror;
        this.flakeChecks = flakeChecks;
        this.ciCommands = ciCommands;
        this.evaluator = evaluator;
        this.builder = builder;
        this.pusher = pusher;
        this.deployments = deployments;
        this.publisher = publisher;
        this.statuses = statuses;
        this.urls = urls;
        this.metrics = metrics;
        this.retrier = retrier;
        this.tx = tx;
        this.workRoot = platform.dataDir().resolve("work");
    }

    /** Work trees left by a run this instance did not finish (a crash): nothing of this instance runs yet. */
    @PostConstruct
    void removeLeftoverWorkTrees() throws IOException {
        FileSystemUtils.deleteRecursively(workRoot);
    }

    /** How an attempt ended: a final status with its message, or given back to the queue (shutdown). */
    record Outcome(PipelineStatus status, String message) {
        static final Outcome RELEASED = new Outcome(PipelineStatus.QUEUED, null);
    }

    /**
     * Runs the steps of a claimed pipeline on the calling thread; {@code control} cancels it (on shutdown: gives it
     * back to the queue).
     */
    Outcome execute(PipelineQueue.Claim claim, RunControl control, BooleanSupplier stopping) {
        Pipeline pipeline = pipelines.findById(claim.pipelineId()).orElseThrow();
        log.info("pipeline={} started repo={} branch={} commit={} attempt={}", pipeline.id(), pipeline.repo(),
                pipeline.branch(), pipeline.commit(), claim.attempt());
        if (claim.attempt() == 1) {
            metrics.queueWait(Duration.between(pipeline.createdAt(), Instant.now()));
        }
        statuses.changed(pipeline.id());
        Run run = new Run(pipeline, claim.attempt(), workRoot.resolve(Long.toString(pipeline.id())), control);
        try {
            if (pipeline.cancelRequested()) {
                control.cancel();
            }
            steps(run);
            return new Outcome(PipelineStatus.SUCCEEDED, null);
        } catch (StepFailure failure) {
            return new Outcome(PipelineStatus.FAILED, run.currentStep + ": " + failure.getMessage());
        } catch (Cancelled | ProcessInterruptedException | Retrier.RetryInterrupted interrupted) {
            return stopping.getAsBoolean() ? Outcome.RELEASED
                    : new Outcome(PipelineStatus.CANCELLED, "cancelled during " + run.currentStep);
        } catch (RuntimeException e) {
            log.error("pipeline={} failed on an internal error", pipeline.id(), e);
            return new Outcome(PipelineStatus.FAILED, run.currentStep + ": internal error: " + e);
        } finally {
            FileSystemUtils.deleteRecursively(run.workArea.toFile());
        }
    }

    /** Records the outcome; only the instance holding the claim can. */
    void complete(PipelineQueue.Claim claim, String owner, Outcome outcome) {
        long id = claim.pipelineId();
        if (outcome == Outcome.RELEASED) {
            pipelines.release(id, owner);
            steps.abandonRunning(id, "the CI instance shut down; the pipeline was queued again", Instant.now());
            log.info("pipeline={} given back to the queue (shutdown)", id);
            return;
        }
        String message = outcome.message() == null ? null : truncate(outcome.message());
        if (pipelines.finish(id, owner, outcome.status(), message, Instant.now()) == 1) {
            metrics.pipelineFinished(outcome.status());
            log.info("pipeline={} {}{}", id, outcome.status().wire(), message == null ? "" : ": " + firstLine(message));
            statuses.changed(id);
        } else {
            log.warn("pipeline={} finished as {} but this instance no longer held its claim (lease expired)", id,
                    outcome.status().wire());
        }
    }

    private void steps(Run run) {
        Pipeline pipeline = run.pipeline;
        FlakeSource source = waitingStep(run, "fetch", log -> retrier.call(
                "fetching " + pipeline.repo() + " from the forge", log::line,
                () -> mirror.fetch(pipeline.repo(), pipeline.branch(), pipeline.commit(), log)));
        waitingStep(run, "flake-check", log -> {
            flakeChecks.check(source, log);
            return null;
        });
        Evaluation evaluation = waitingStep(run, "evaluate", log -> evaluator.evaluate(source, log));
        for (CiConfig.Step command : evaluation.ci().steps()) {
            waitingStep(run, command.stepName(), log -> {
                ciCommands.run(command, run.commandContext(source, mirror), log);
                return null;
            });
        }
        SortedMap<String, String> closures = waitingStep(run, "build",
                log -> builder.build(evaluation.derivations(), log));
        DeploymentArtifact previous = deployments.lastSuccessful(pipeline.repo(), pipeline.branch()).orElse(null);
        Changes changes = step(run, "changes", log -> {
            Changes detected = ChangeDetector.detect(previous, closures, evaluation.blueprintJson());
            log.line(previous == null ? "first deployment of " + pipeline.branch()
                    : "compared with the deployment of " + previous.gitCommit() + " (pipeline " + previous.pipeline()
                    + ")");
            log.line("added: " + detected.added() + ", changed: " + detected.changed() + ", removed: "
                    + detected.removed());
            pipelines.recordChangedVms(pipeline.id(), pipeline.claimedBy(),
                    Pipeline.joinVms(detected.changedVms()));
            return detected;
        });
        waitingStep(run, "push", log -> {
            pusher.push(closures.values(), log);
            return null;
        });
        DeploymentArtifact artifact = step(run, "artifact", log -> {
            DeploymentArtifact built = new DeploymentArtifact(pipeline.repo(), pipeline.branch(), pipeline.commit(),
                    evaluation.blueprintJson(), closures, changes.changedVms(), changes,
                    previous == null ? null : previous.gitCommit(), pipeline.id(), urls.page(pipeline.id()),
                    pusher.cacheUrl(), Instant.now());
            deployments.save(built);
            log.line("deployment.json stored: " + closures.size() + " closure(s), changed " + changes.changedVms());
            return built;
        });
        if (!changes.any()) {
            skip(run, "publish", previous == null ? "the blueprint has no VM: nothing to publish"
                    : "nothing changed since " + previous.gitCommit() + ": not published");
            return;
        }
        waitingStep(run, "publish", log -> {
            ControlPlanePublisher.Published published = publisher.publish(artifact, evaluation.blueprint(), log);
            log.line("generation " + published.number() + (published.changed() ? " stored" : " unchanged"));
            return published;
        });
    }

    /** A step's work, given the step's log. */
    @FunctionalInterface
    private interface StepBody<T> {
        T run(StepLog log);
    }

    /** A step that waits on processes or peers: its body runs where a cancellation can interrupt it. */
    private <T> T waitingStep(Run run, String name, StepBody<T> body) {
        return step(run, name, log -> run.control.interruptibly(() -> body.run(log)));
    }

    /** A step of database work only, on the pipeline thread; cancellation is checked before it starts. */
    private <T> T step(Run run, String name, StepBody<T> body) {
        run.control.check();
        PipelineStep step = steps.save(new PipelineStep(run.pipeline.id(), run.attempt, run.nextPosition(), name));
        StepLog stepLog = logs.open(step.id());
        StepStatus outcome = StepStatus.FAILED;
        String message = null;
        run.currentStep = name;
        try {
            T result = body.run(stepLog);
            outcome = StepStatus.SUCCEEDED;
            return result;
        } catch (StepFailure failure) {
            message = truncate(failure.getMessage());
            stepLog.line("error: " + failure.getMessage());
            throw failure;
        } catch (Cancelled | ProcessInterruptedException | Retrier.RetryInterrupted interrupted) {
            outcome = StepStatus.CANCELLED;
            message = "interrupted";
            stepLog.line("interrupted");
            throw interrupted;
        } catch (RuntimeException e) {
            message = truncate("internal error: " + e);
            stepLog.line(message);
            throw e;
        } finally {
            finish(step, stepLog, outcome, message);
            metrics.stepFinished(name, outcome, step.duration());
        }
    }

    /** The rest of the step's log and its outcome, in one commit: a follower that sees it ended has all of it. */
    private void finish(PipelineStep step, StepLog stepLog, StepStatus outcome, String message) {
        tx.executeWithoutResult(status -> {
            logs.close(stepLog);
            step.finish(outcome, message);
            steps.save(step);
        });
    }

    private void skip(Run run, String name, String why) {
        PipelineStep step = steps.save(new PipelineStep(run.pipeline.id(), run.attempt, run.nextPosition(), name));
        StepLog stepLog = logs.open(step.id());
        stepLog.line(why);
        finish(step, stepLog, StepStatus.SKIPPED, why);
    }

    private static String truncate(String message) {
        return message.length() > 3990 ? message.substring(0, 3990) + " ..." : message;
    }

    private static String firstLine(String message) {
        return message.lines().findFirst().orElse("");
    }

    /** One attempt's state: its steps' positions and, once a command needs it, its work area. */
    private static final class Run {
        final Pipeline pipeline;
        final int attempt;
        final Path workArea;
        final RunControl control;
        int position;
        String currentStep = "start";
        CiCommands.Context context;

        Run(Pipeline pipeline, int attempt, Path workArea, RunControl control) {
            this.pipeline = pipeline;
            this.attempt = attempt;
            this.workArea = workArea;
            this.control = control;
        }

        int nextPosition() {
            return ++position;
        }

        /** The work tree of the commit, checked out at the first command that needs it. */
        CiCommands.Context commandContext(FlakeSource source, RepoMirror mirror) {
            if (context == null) {
                try {
                    FileSystemUtils.deleteRecursively(workArea);
                    Path tree = Files.createDirectories(workArea.resolve("tree"));
                    for (String dir : new String[] {"home", "tmp", "cache"}) {
                        Files.createDirectories(workArea.resolve(dir));
                    }
                    mirror.checkOut(source, tree);
                    context = new CiCommands.Context(pipeline.id(), pipeline.repo(), pipeline.branch(),
                            pipeline.commit(), workArea, tree);
                } catch (IOException e) {
                    throw new StepFailure("cannot prepare the work tree: " + e.getMessage(), e);
                }
            }
            return context;
        }
    }

    /** The pipeline was interrupted between two steps. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }
}
