package dev.procurator.common.process;

import java.time.Duration;

/**
 * What a finished program left: exit code, captured output (bounded; see {@link ProcessRunner#OUTPUT_LIMIT}) and
 * how long it ran.
 */
public record ProcessResult(Command command, int exitCode, String stdout, String stderr, Duration elapsed) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** This result, or a {@link ProcessFailedException} naming the command and the end of its stderr. */
    public ProcessResult requireSuccess() {
        if (!succeeded()) {
            throw new ProcessFailedException(this);
        }
        return this;
    }
}
