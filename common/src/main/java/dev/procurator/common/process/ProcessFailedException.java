package dev.procurator.common.process;

/** The program exited non-zero. The message carries the last lines of its stderr. */
public class ProcessFailedException extends ProcessException {

    private static final int TAIL_CHARS = 2000;

    private final ProcessResult result;

    public ProcessFailedException(ProcessResult result) {
        super("'" + result.command().display() + "' exited with " + result.exitCode() + tail(result.stderr()), null);
        this.result = result;
    }

    public ProcessResult result() {
        return result;
    }

    private static String tail(String stderr) {
        String trimmed = stderr.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        return ": " + (trimmed.length() > TAIL_CHARS ? "..." + trimmed.substring(trimmed.length() - TAIL_CHARS) : trimmed);
    }
}
