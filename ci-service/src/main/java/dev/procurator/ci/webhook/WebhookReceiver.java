package dev.procurator.ci.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.procurator.ci.pipeline.Pipeline;
import dev.procurator.ci.pipeline.PipelineRequests;
import dev.procurator.ci.pipeline.PipelineService;
import dev.procurator.ci.pipeline.Trigger;

/**
 * Turns a verified push delivery into a queued pipeline, recording the delivery id in the same transaction: the
 * answer goes out only after both are committed, and the same delivery twice queues one pipeline.
 */
@Service
class WebhookReceiver {

    private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);

    /** What became of a delivery. */
    record Received(String result, Long pipelineId, String message) {
        static Received ignored(String why) {
            return new Received("ignored", null, why);
        }
    }

    private final ReceivedDeliveryStore deliveries;
    private final PipelineService pipelines;

    WebhookReceiver(ReceivedDeliveryStore deliveries, PipelineService pipelines) {
        this.deliveries = deliveries;
        this.pipelines = pipelines;
    }

    @Transactional
    public Received push(String deliveryId, ForgePush push) {
        var seen = deliveries.findById(deliveryId);
        if (seen.isPresent()) {
            return duplicate(deliveryId, seen.get().pipelineId());
        }
        if (push.deleted()) {
            log.info("delivery={} repo={} ref={} deleted: nothing to build", deliveryId, repoOf(push), push.ref());
            return Received.ignored("branch deleted: nothing to build");
        }
        if (!push.isBranch()) {
            return Received.ignored(push.ref() + " is not a branch: only branch pushes are built");
        }
        String repo = PipelineRequests.repo(repoOf(push));
        String branch = PipelineRequests.branch(push.branch());
        String commit = PipelineRequests.commit(push.after());
        Pipeline pipeline = pipelines.enqueue(new PipelineService.Request(repo, branch, commit, Trigger.PUSH,
                push.pusher() == null ? null : push.pusher().name(), deliveryId, null));
        deliveries.saveAndFlush(new ReceivedDelivery(deliveryId, "push", pipeline.id()));
        return new Received("queued", pipeline.id(), "pipeline " + pipeline.id() + " queued");
    }

    /** Reads the delivery recorded by a concurrent request that won the race. */
    Received duplicateOf(String deliveryId) {
        return duplicate(deliveryId, deliveries.findById(deliveryId).map(ReceivedDelivery::pipelineId).orElse(null));
    }

    private static Received duplicate(String deliveryId, Long pipelineId) {
        log.info("delivery={} received again: pipeline={} already queued", deliveryId, pipelineId);
        return new Received("duplicate", pipelineId, "delivery " + deliveryId + " was already received");
    }

    private static String repoOf(ForgePush push) {
        return push.repository() == null ? null : push.repository().fullName();
    }
}
