package dev.procurator.cli.up;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Where one service's output goes: every line to its log file ({@code <data dir>/logs/<module>.log}, the previous
 * run's kept as {@code <module>.log.1}), the lines a person needs to the terminal ({@link LogFilter}), and the last
 * lines in memory for the report when it fails to start.
 */
final class ServiceOutput implements AutoCloseable {

    private static final int TAIL_LINES = 200;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final String module;
    private final Path file;
    private final Output terminal;
    private final boolean verbose;
    private final BufferedWriter writer;
    private final Deque<String> tail = new ArrayDeque<>();
    private LogFilter filter;

    ServiceOutput(String module, Path logsDir, Output terminal, boolean verbose) throws IOException {
        this.module = module;
        this.file = logsDir.resolve(module + ".log");
        this.terminal = terminal;
        this.verbose = verbose;
        Files.createDirectories(logsDir);
        if (Files.exists(file)) {
            Files.move(file, logsDir.resolve(module + ".log.1"), StandardCopyOption.REPLACE_EXISTING);
        }
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    Path file() {
        return file;
    }

    /** A new process of the service: marked in the file, and its output read from a clean start. */
    synchronized void launched(long pid) {
        filter = new LogFilter(verbose, file.toString());
        write("----- procurator up: " + module + " started at " + LocalDateTime.now().format(WHEN) + ", pid " + pid);
    }

    /** One line the service printed. */
    synchronized void line(String line) {
        write(line);
        if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(line);
        String shown = filter.forTerminal(line);
        if (shown != null) {
            terminal.line(module, shown);
        }
    }

    /** A line from procurator about this service. */
    void say(String message) {
        terminal.say(message);
    }

    /** The last lines the service printed, oldest first. */
    synchronized List<String> tail(int lines) {
        return tail.stream().skip(Math.max(0, tail.size() - lines)).toList();
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    /** Flushed line by line: the file is what a person reads while the service runs, and after a crash. */
    private void write(String line) {
        try {
            writer.write(line);
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            // A full disk must not stop the service: its output still reaches the terminal filter.
        }
    }
}
