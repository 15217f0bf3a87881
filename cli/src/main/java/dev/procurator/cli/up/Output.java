package dev.procurator.cli.up;

import java.io.PrintStream;

/** All lines to the terminal go through here, whole, so services' output never interleaves mid-line. */
public final class Output {

    private final PrintStream out;
    private final LogPrefixer prefixer;

    public Output(PrintStream out, LogPrefixer prefixer) {
        this.out = out;
        this.prefixer = prefixer;
    }

    public synchronized void line(String name, String line) {
        out.println(prefixer.format(name, line));
        out.flush();
    }

    /** A line from procurator itself. */
    public void say(String message) {
        line(LogPrefixer.SELF, message);
    }

    /** Unprefixed text, e.g. the table of URLs. */
    public synchronized void raw(String text) {
        out.print(text);
        out.flush();
    }

    public boolean colour() {
        return prefixer.colour();
    }
}
