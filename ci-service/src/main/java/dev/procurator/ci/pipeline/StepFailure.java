package dev.procurator.ci.pipeline;

/**
 * A step failed for a reason the user must see: Nix's own error, a missing output, an invalid blueprint, a peer still
 * unreachable after the retries. The message becomes the step's and the pipeline's message.
 */
public class StepFailure extends RuntimeException {

    public StepFailure(String message) {
        super(message, null, false, false);
    }

    public StepFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
