package dev.procurator.cli.api;

/**
 * A service's own refusal ({@code {"error","message"}} with a non-2xx status), kept apart from other failures so a
 * command can act on its code, e.g. follow the leader a {@code not_leader} answer names.
 */
public final class ApiError extends CliException {

    private final int status;
    private final String error;
    private final String serviceMessage;

    public ApiError(int status, String error, String serviceMessage) {
        super(serviceMessage + " (" + error + ", HTTP " + status + ")");
        this.status = status;
        this.error = error;
        this.serviceMessage = serviceMessage;
    }

    public int status() {
        return status;
    }

    /** The service's error code, e.g. {@code not_found}. */
    public String error() {
        return error;
    }

    /** The service's human text alone. */
    public String serviceMessage() {
        return serviceMessage;
    }
}
