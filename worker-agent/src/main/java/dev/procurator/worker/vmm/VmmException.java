package dev.procurator.worker.vmm;

/** A VMM could not be started or controlled; the message says why (with the end of its log when it has one). */
public class VmmException extends RuntimeException {

    public VmmException(String message) {
        super(message);
    }

    public VmmException(String message, Throwable cause) {
        super(message, cause);
    }
}
