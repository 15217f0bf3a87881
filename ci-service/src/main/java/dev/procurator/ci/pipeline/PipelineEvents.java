package dev.procurator.ci.pipeline;

/** What the dispatcher reacts to at once instead of at its next poll. */
public final class PipelineEvents {

    private PipelineEvents() {
    }

    /** A pipeline was queued (published in the enqueueing transaction, delivered after its commit). */
    public record Queued(long pipelineId) {
    }

    /** Someone asked to cancel a running pipeline. */
    public record CancelRequested(long pipelineId) {
    }
}
