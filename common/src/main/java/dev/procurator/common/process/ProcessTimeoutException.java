package dev.procurator.common.process;

import java.time.Duration;

/** The program ran past its time limit and was killed, with its whole process tree. */
public class ProcessTimeoutException extends ProcessException {

    private final ProcessResult partial;

    public ProcessTimeoutException(Duration limit, ProcessResult partial) {
        super("'" + partial.command().display() + "' did not finish within " + limit.toSeconds() + " s and was killed",
                null);
        this.partial = partial;
    }

    /** Whatever it printed before it was killed. */
    public ProcessResult partial() {
        return partial;
    }
}
