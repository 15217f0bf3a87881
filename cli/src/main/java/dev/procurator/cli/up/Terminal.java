package dev.procurator.cli.up;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is a terminal, on Java 21 and on 22+ (where {@link System#console()} is never null). */
final class Terminal {

    private Terminal() {
    }

    static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 21: a non-null console means stdin and stdout are a terminal
        }
    }
}
