package dev.procurator.ci.pipeline;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.procurator.common.error.ApiException;

/** Queues pipelines (a newer one of a branch supersedes its still-queued elders), cancels and retries them. */
@Service
public class PipelineService {

    private static final Logger log = LoggerFactory.getLogger(PipelineService.class);

    private final PipelineStore pipelines;
    private final ApplicationEventPublisher events;

    PipelineService(PipelineStore pipelines, ApplicationEventPublisher events) {
        this.pipelines = pipelines;
        this.events = events;
    }

    /** What to build. {@code retryOf} is the pipeline a retry repeats, else null. */
    public record Request(String repo, String branch, String commit, Trigger trigger, String triggeredBy,
                          String deliveryId, Long retryOf) {
    }

    /** Queues a pipeline; durable when the surrounding transaction commits. */
    @Transactional
    public Pipeline enqueue(Request request) {
        Pipeline pipeline = pipelines.saveAndFlush(new Pipeline(request.repo(), request.branch(), request.commit(),
                request.trigger(), request.triggeredBy(), request.deliveryId(), request.retryOf()));
        int superseded = pipelines.supersedeQueued(request.repo(), request.branch(), pipeline.id(),
                "superseded by pipeline " + pipeline.id() + " (a newer push to " + request.branch() + ")",
                Instant.now());
        events.publishEvent(new PipelineEvents.Queued(pipeline.id()));
        log.info("pipeline={} queued repo={} branch={} commit={} trigger={} superseded={}", pipeline.id(),
                request.repo(), request.branch(), request.commit(), request.trigger().wire(), superseded);
        return pipeline;
    }

    public Pipeline require(long id) {
        return pipelines.findById(id).orElseThrow(() -> ApiException.notFound("No pipeline " + id + "."));
    }

    /**
     * Cancels a queued pipeline at once; a running one stops at its current step (its process is killed) and ends
     * {@code cancelled}. A finished pipeline cannot be cancelled (409).
     */
    public Pipeline cancel(long id, String by) {
        require(id);
        if (pipelines.cancelQueued(id, "cancelled by " + by, Instant.now()) == 1) {
            log.info("pipeline={} cancelled while queued by={}", id, by);
        } else if (pipelines.requestCancel(id) == 1) {
            log.info("pipeline={} cancel requested by={}", id, by);
            events.publishEvent(new PipelineEvents.CancelRequested(id));
        } else {
            throw ApiException.conflict("already_finished", "Pipeline " + id + " has already finished ("
                    + require(id).status().wire() + ").");
        }
        return require(id);
    }

    /** Queues the same commit of the same branch again; only a finished pipeline can be retried (409). */
    public Pipeline retry(long id, String by) {
        Pipeline original = require(id);
        if (!original.status().finished()) {
            throw ApiException.conflict("not_finished", "Pipeline " + id + " is still " + original.status().wire()
                    + "; cancel it first or wait for it to finish.");
        }
        return enqueue(new Request(original.repo(), original.branch(), original.commit(), Trigger.RETRY, by, null, id));
    }
}
