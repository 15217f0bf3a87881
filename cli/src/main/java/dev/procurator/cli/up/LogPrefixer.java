package dev.procurator.cli.up;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Procfile-style prefixes, as foreman and overmind print them: {@code forge          | line}, the name padded to the
 * longest one and, on a colour terminal, each service in its own colour.
 */
public final class LogPrefixer {

    /** The name of procurator's own lines. */
    public static final String SELF = "procurator";

    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    /** Cyan, yellow, green, magenta, blue, red, then the bright variants: distinct on dark and light backgrounds. */
    private static final int[] COLOURS = {36, 33, 32, 35, 34, 31, 96, 93, 92, 95, 94, 91};

    private final boolean colour;
    private final int width;
    private final Map<String, String> styles = new HashMap<>();

    public LogPrefixer(Collection<String> names, boolean colour) {
        this.colour = colour;
        int longest = SELF.length();
        int i = 0;
        for (String name : names) {
            longest = Math.max(longest, name.length());
            styles.put(name, "\u001b[" + COLOURS[i++ % COLOURS.length] + "m");
        }
        styles.put(SELF, BOLD);
        this.width = longest;
    }

    /** One output line of {@code name}, prefixed. Control characters a child wrote are passed through unchanged. */
    public String format(String name, String line) {
        String padded = String.format("%-" + width + "s | ", name);
        if (!colour) {
            return padded + line;
        }
        return styles.getOrDefault(name, BOLD) + padded + RESET + line;
    }

    public boolean colour() {
        return colour;
    }

    /**
     * Whether to colour: never with {@code NO_COLOR} set (no-color.org) or {@code TERM=dumb}, else only when standard
     * output is a terminal.
     */
    public static boolean colourWanted(Map<String, String> env) {
        String noColor = env.get("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) {
            return false;
        }
        if ("dumb".equals(env.get("TERM"))) {
            return false;
        }
        return Terminal.stdoutIsTerminal();
    }
}
