package dev.procurator.worker.closure;

/** A closure could not be had or is not bootable: refused, never booted; the message is reported to the master. */
public class ClosureException extends RuntimeException {

    public ClosureException(String message) {
        super(message);
    }
}
