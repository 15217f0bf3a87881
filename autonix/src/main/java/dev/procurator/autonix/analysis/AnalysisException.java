package dev.procurator.autonix.analysis;

/** The repository cannot be analyzed at all (not a directory, cannot be listed). */
public class AnalysisException extends RuntimeException {

    public AnalysisException(String message) {
        super(message);
    }

    public AnalysisException(String message, Throwable cause) {
        super(message, cause);
    }
}
