package dev.procurator.ci.retry;

/** A peer (forge, cache, control plane) could not be reached or answered with a server error: worth retrying. */
public class TransientFailure extends RuntimeException {

    public TransientFailure(String message) {
        super(message, null, false, false);
    }

    public TransientFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
