package dev.procurator.common.process;

/** Base of the ways an external program can fail to do its job. */
public abstract class ProcessException extends RuntimeException {

    protected ProcessException(String message, Throwable cause) {
        super(message, cause);
    }
}
