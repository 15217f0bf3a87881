package dev.procurator.ci.log;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The output of one running step: lines go to a buffer that {@link LogFlusher} writes to the database a few times a
 * second (live logs without one insert per line), capped at a size beyond which lines are dropped with one note.
 * Lines may arrive from several threads (a program's stdout and stderr).
 */
public final class StepLog implements Consumer<String> {

    private final long stepId;
    private final long maxBytes;
    private final SecretRedactor redactor;
    private final StepLogs store;
    private final StringBuilder pending = new StringBuilder();
    private int nextSeq;
    private long written;
    private boolean truncated;

    StepLog(long stepId, long maxBytes, SecretRedactor redactor, StepLogs store) {
        this.stepId = stepId;
        this.maxBytes = maxBytes;
        this.redactor = redactor;
        this.store = store;
    }

    public long stepId() {
        return stepId;
    }

    @Override
    public void accept(String line) {
        line(line);
    }

    /** Appends one line (a newline is added). */
    public synchronized void line(String text) {
        if (truncated) {
            return;
        }
        String line = redactor.redact(text) + "\n";
        long size = line.getBytes(StandardCharsets.UTF_8).length;
        if (written + size > maxBytes) {
            truncated = true;
            pending.append("[procurator: output truncated: this step's log is limited to ")
                    .append(maxBytes / 1024).append(" KiB]\n");
            return;
        }
        written += size;
        pending.append(line);
    }

    /** Writes what has accumulated since the last flush, as one chunk. */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        store.append(stepId, nextSeq, pending.toString());
        nextSeq++;
        pending.setLength(0);
    }
}
