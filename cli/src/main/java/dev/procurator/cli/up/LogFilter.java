package dev.procurator.cli.up;

import java.util.regex.Pattern;

/**
 * Decides which lines of a service's output a person at the terminal sees: its warnings and errors with the lines that
 * belong to them (a stack trace, Spring Boot's "APPLICATION FAILED TO START" report), and whatever a process prints
 * before its first log event (the JVM's own complaints). Start-up chatter at INFO and DEBUG stays in the log file.
 * A log event starts with a time and a level, as common's console pattern and Spring Boot's default pattern print it;
 * any other line continues the event before it. One event shows at most {@link #LINES_PER_EVENT} lines.
 */
final class LogFilter {

    static final int LINES_PER_EVENT = 40;

    private static final Pattern EVENT = Pattern.compile(
            "^(?:\\d{4}-\\d{2}-\\d{2}[T ])?\\d{2}:\\d{2}:\\d{2}[.,]\\d{3}\\S*\\s+(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\\b");

    private final boolean verbose;
    private final String elsewhere;
    private boolean showing = true;
    private int shown;

    /**
     * @param verbose   show every line
     * @param elsewhere where the whole output is, named when an event is cut short
     */
    LogFilter(boolean verbose, String elsewhere) {
        this.verbose = verbose;
        this.elsewhere = elsewhere;
    }

    /** What to print for this line of output: the line itself, a note that the rest is elsewhere, or null. */
    String forTerminal(String line) {
        if (verbose) {
            return line;
        }
        var event = EVENT.matcher(line);
        if (event.find()) {
            String level = event.group(1);
            showing = level.equals("WARN") || level.equals("ERROR") || level.equals("FATAL");
            shown = 0;
        }
        if (!showing) {
            return null;
        }
        shown++;
        if (shown <= LINES_PER_EVENT) {
            return line;
        }
        if (shown == LINES_PER_EVENT + 1) {
            return "... (the rest of this message is in " + elsewhere + ")";
        }
        return null;
    }
}
