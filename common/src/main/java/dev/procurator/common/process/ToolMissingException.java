package dev.procurator.common.process;

/** The program is not installed (not on PATH, or not executable). */
public class ToolMissingException extends ProcessException {

    private final String tool;

    public ToolMissingException(String tool, Throwable cause) {
        super("'" + tool + "' is not installed or not on PATH; install it to use this feature", cause);
        this.tool = tool;
    }

    public String tool() {
        return tool;
    }
}
