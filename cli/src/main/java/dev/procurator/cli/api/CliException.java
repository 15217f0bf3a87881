package dev.procurator.cli.api;

/** A failure the user can act on: printed as one line, exit code 1, no stack trace. */
public class CliException extends RuntimeException {

    public CliException(String message) {
        super(message);
    }
}
