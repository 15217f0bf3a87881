package dev.procurator.common.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs external programs ({@code nix}, {@code git}, {@code qemu-system-x86_64}) the one way every service does: with a
 * time limit that kills the whole process tree, output captured up to a bound (and streamed line by line to an
 * optional listener), and a {@link ToolMissingException} when the program is not installed.
 * <p>
 * Each run's two output readers are tasks of the executor given (in a service, common's {@code processOutputReaders}
 * bean). They must be platform threads: a reader blocks in a native read of the pipe, which pins a virtual thread to
 * its carrier, and enough pinned readers leave a service's virtual threads no carrier to run on.
 */
public class ProcessRunner {

    /** Captured output beyond this many bytes per stream is dropped (the listener still sees every line). */
    public static final int OUTPUT_LIMIT = 16 * 1024 * 1024;

    /** A longer line reaches the listener in pieces of this size: output without newlines cannot exhaust memory. */
    public static final int LINE_LIMIT = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(ProcessRunner.class);

    private final Executor outputReaders;

    /** For tests and tools outside a Spring context: a daemon platform thread per output stream. */
    public ProcessRunner() {
        this(reader -> Thread.ofPlatform().name("process-output").daemon().start(reader));
    }

    /** @param outputReaders runs the readers of each process's output, on platform threads */
    public ProcessRunner(Executor outputReaders) {
        this.outputReaders = outputReaders;
    }

    public ProcessResult run(Command command) {
        long start = System.nanoTime();
        Process process = start(command);
        OutputCapture stdout = new OutputCapture(process.getInputStream(), command.lineListener(), outputReaders);
        OutputCapture stderr = new OutputCapture(process.getErrorStream(), command.lineListener(), outputReaders);
        feedStdin(process, command.stdin());
        try {
            boolean finished = process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                killTree(process);
                throw new ProcessTimeoutException(command.timeout(),
                        result(command, -1, stdout, stderr, start));
            }
            return result(command, process.exitValue(), stdout, stderr, start);
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new ProcessInterruptedException(command, e);
        }
    }

    private static Process start(Command command) {
        ProcessBuilder builder = new ProcessBuilder(command.argv());
        if (command.workDir() != null) {
            builder.directory(command.workDir().toFile());
        }
        builder.environment().putAll(command.env());
        try {
            log.debug("Running {}", command.display());
            return builder.start();
        } catch (IOException e) {
            // ProcessBuilder reports a missing program only as an IOException whose wording varies between JDKs.
            if (Executables.find(command.program(), builder.environment().get("PATH")).isEmpty()) {
                throw new ToolMissingException(command.program(), e);
            }
            throw new UncheckedIOException("cannot start '" + command.display() + "'", e);
        }
    }

    private static void feedStdin(Process process, byte[] input) {
        try (OutputStream in = process.getOutputStream()) {
            if (input != null) {
                in.write(input);
            }
        } catch (IOException e) {
            // The program closed its stdin early (it did not want the input); its exit code tells the rest.
            log.debug("stdin of {} closed early: {}", process.pid(), e.getMessage());
        }
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ProcessResult result(Command command, int exit, OutputCapture out, OutputCapture err, long start) {
        return new ProcessResult(command, exit, out.text(), err.text(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Drains one output stream while the program runs, so a chatty program never blocks on a full pipe. */
    private static final class OutputCapture {

        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CompletableFuture<Void> drained;

        OutputCapture(InputStream stream, Consumer<String> listener, Executor readers) {
            this.drained = CompletableFuture.runAsync(() -> drain(stream, listener), readers);
        }

        private void drain(InputStream stream, Consumer<String> listener) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            try (stream) {
                int n;
                while ((n = stream.read(chunk)) > 0) {
                    synchronized (buffer) {
                        buffer.write(chunk, 0, Math.min(n, Math.max(0, OUTPUT_LIMIT - buffer.size())));
                    }
                    if (listener != null) {
                        emitLines(chunk, n, line, listener);
                    }
                }
                if (listener != null && line.size() > 0) {
                    listener.accept(line.toString(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                log.debug("output stream closed: {}", e.getMessage());
            }
        }

        private static void emitLines(byte[] chunk, int n, ByteArrayOutputStream line, Consumer<String> listener) {
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    listener.accept(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(chunk[i]);
                    if (line.size() >= LINE_LIMIT) {
                        listener.accept(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    }
                }
            }
        }

        String text() {
            try {
                // A descendant that outlives the program may hold the pipe open: take what came within 5 s.
                drained.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.debug("output not fully drained: {}", e.toString());
            }
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
