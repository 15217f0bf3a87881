package dev.procurator.worker.console;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A VM's serial console on disk: {@code console.log} in the replica's directory, rotated at {@code maxBytes} into
 * {@code console.log.1} .. {@code console.log.<files>} (the oldest dropped), so a chatty guest never fills the disk.
 * Followers (the API's {@code ?follow=true}) get each complete line as it arrives.
 */
public final class ConsoleLog {

    private final Path file;
    private final long maxBytes;
    private final int files;
    private final List<Consumer<String>> followers = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile long firstOutputMillis;

    public ConsoleLog(Path dir, long maxBytes, int files) {
        this.file = dir.resolve("console.log");
        this.maxBytes = maxBytes;
        this.files = files;
    }

    /** Output of the guest. */
    public synchronized void append(byte[] bytes, int length) {
        if (length > 0 && firstOutputMillis == 0) {
            firstOutputMillis = System.currentTimeMillis();
        }
        write(bytes, length);
    }

    private synchronized void write(byte[] bytes, int length) {
        if (length <= 0) {
            return;
        }
        try {
            if (Files.exists(file) && Files.size(file) + length > maxBytes) {
                rotate();
            }
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.write(bytes, 0, length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                String line = stripCarriageReturn(partial.toString());
                partial.setLength(0);
                followers.forEach(follower -> follower.accept(line));
            } else {
                partial.append(c);
            }
        }
    }

    /** A line from the agent itself (boot, stop, rollback), so the console tells the whole story. */
    public void note(String message) {
        byte[] line = ("[procurator] " + message + "\n").getBytes(StandardCharsets.UTF_8);
        write(line, line.length);
    }

    /** When the guest first wrote anything (0: not yet), for the boot timings. */
    public long firstOutputMillis() {
        return firstOutputMillis;
    }

    public void resetFirstOutput() {
        firstOutputMillis = 0;
    }

    /**
     * The last {@code maxLines} lines, oldest first, across the rotated files.
     *
     * @return the lines and whether older ones were left out
     */
    public synchronized Tail tail(int maxLines) {
        Deque<String> lines = new ArrayDeque<>();
        boolean truncated = false;
        List<Path> all = new ArrayList<>();
        for (int i = files; i >= 1; i--) {
            all.add(file.resolveSibling(file.getFileName() + "." + i));
        }
        all.add(file);
        for (Path part : all) {
            if (!Files.exists(part)) {
                continue;
            }
            try {
                for (String line : Files.readString(part, StandardCharsets.UTF_8).split("\n", -1)) {
                    lines.addLast(stripCarriageReturn(line));
                    if (lines.size() > maxLines + 1) {
                        lines.removeFirst();
                        truncated = true;
                    }
                }
                // split() leaves an empty piece after the final newline; it is not a line
                if (!lines.isEmpty() && lines.peekLast().isEmpty()) {
                    lines.removeLast();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + part, e);
            }
        }
        while (lines.size() > maxLines) {
            lines.removeFirst();
            truncated = true;
        }
        return new Tail(List.copyOf(lines), truncated);
    }

    public record Tail(List<String> lines, boolean truncated) {
    }

    public Runnable follow(Consumer<String> follower) {
        followers.add(follower);
        return () -> followers.remove(follower);
    }

    private void rotate() throws IOException {
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "." + files));
        for (int i = files - 1; i >= 1; i--) {
            Path from = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.exists(from)) {
                Files.move(from, file.resolveSibling(file.getFileName() + "." + (i + 1)),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
