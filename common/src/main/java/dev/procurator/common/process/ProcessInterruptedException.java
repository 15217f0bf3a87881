package dev.procurator.common.process;

/** The thread waiting for the program was interrupted (shutdown); the program was killed. */
public class ProcessInterruptedException extends ProcessException {

    public ProcessInterruptedException(Command command, InterruptedException cause) {
        super("interrupted while running '" + command.display() + "'", cause);
    }
}
