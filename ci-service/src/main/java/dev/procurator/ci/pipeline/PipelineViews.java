package dev.procurator.ci.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

import org.springframework.stereotype.Component;

import dev.procurator.ci.deployment.DeploymentArtifact;
import dev.procurator.ci.deployment.Deployments;

/** The JSON (and dashboard) views of pipelines and their steps. */
@Component
public class PipelineViews {

    /** A pipeline in a list. */
    public record Summary(long id, String repo, String branch, String commit, PipelineStatus status, Trigger trigger,
                          String triggeredBy, Instant createdAt, Instant startedAt, Instant finishedAt,
                          Long durationMs, String message, List<String> changedVms, int attempts, Long retryOf,
                          String url) {
    }

    /**
     * A pipeline with its steps (of its latest attempt), the forge delivery that queued it (null for a manual or a
     * retry) and, once built, its closures.
     */
    public record Detail(long id, String repo, String branch, String commit, PipelineStatus status, Trigger trigger,
                         String triggeredBy, Instant createdAt, Instant startedAt, Instant finishedAt,
                         Long durationMs, String message, List<String> changedVms, int attempts, Long retryOf,
                         String url, String deliveryId, List<Step> steps, SortedMap<String, String> closures,
                         String previousCommit, String deployment) {
    }

    public record Step(String name, StepStatus status, Instant startedAt, Instant finishedAt, Long durationMs,
                       String message, String log) {
    }

    private final StepStore steps;
    private final Deployments deployments;
    private final PipelineUrls urls;

    PipelineViews(StepStore steps, Deployments deployments, PipelineUrls urls) {
        this.steps = steps;
        this.deployments = deployments;
        this.urls = urls;
    }

    public Summary summary(Pipeline p) {
        return new Summary(p.id(), p.repo(), p.branch(), p.commit(), p.status(), p.trigger(), p.triggeredBy(),
                p.createdAt(), p.startedAt(), p.finishedAt(), millis(p.duration()), p.message(), p.changedVms(),
                p.attempts(), p.retryOf(), urls.page(p.id()));
    }

    public Detail detail(Pipeline p) {
        List<Step> stepViews = steps(p);
        DeploymentArtifact artifact = deployments.artifact(p.id()).orElse(null);
        return new Detail(p.id(), p.repo(), p.branch(), p.commit(), p.status(), p.trigger(), p.triggeredBy(),
                p.createdAt(), p.startedAt(), p.finishedAt(), millis(p.duration()), p.message(), p.changedVms(),
                p.attempts(), p.retryOf(), urls.page(p.id()), p.deliveryId(), stepViews,
                artifact == null ? null : artifact.closures(), artifact == null ? null : artifact.previousCommit(),
                artifact == null ? null : "/api/v1/pipelines/" + p.id() + "/deployment");
    }

    /** The steps of the pipeline's latest attempt, in order. */
    public List<Step> steps(Pipeline p) {
        return steps.findByPipelineIdAndAttemptOrderByPosition(p.id(), Math.max(1, p.attempts())).stream()
                .map(s -> new Step(s.name(), s.status(), s.startedAt(), s.finishedAt(), millis(s.duration()),
                        s.message(), "/api/v1/pipelines/" + p.id() + "/steps/" + s.name() + "/log"))
                .toList();
    }

    private static Long millis(Duration duration) {
        return duration == null ? null : duration.toMillis();
    }
}
