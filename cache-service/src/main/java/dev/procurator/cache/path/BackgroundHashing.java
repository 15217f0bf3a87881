package dev.procurator.cache.path;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hashes an upload's bytes on an executor's thread, in the order they were handed over, while the receiving event
 * loop goes on writing and decompressing the next ones: the client waits for the answer to each upload, so its hashing
 * is on the critical path, and the core the client leaves idle meanwhile can take half of the work. Bytes are copied
 * into pooled buffers. Nothing here blocks the receiving thread: when more than {@link #IN_FLIGHT} buffers wait, it
 * is {@link #behind()}, and the receiver pauses reading from the client (back-pressure) until told to resume.
 * One receiving thread at a time.
 */
final class BackgroundHashing implements AutoCloseable {

    private static final int BUFFER_SIZE = 128 * 1024;
    /** 4 MiB waiting: beyond it the receiver stops reading from the client. */
    static final int IN_FLIGHT = 32;
    /** Reading resumes once the backlog is down to 1 MiB. */
    private static final int RESUME_AT = 8;
    /** Buffers kept for the next uploads (8 MiB); more are left to the garbage collector. */
    private static final int POOLED = 64;
    private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger pooled = new AtomicInteger();

    private record Job(MessageDigest digest, ByteBuffer bytes) {
    }

    private static final Job END = new Job(null, null);

    private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicReference<Runnable> resume = new AtomicReference<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean cancelled;
    private boolean ended;

    BackgroundHashing(Executor executor) {
        executor.execute(this::run);
    }

    /** Hands over the buffer's remaining bytes to be added to {@code digest}; its position ends at its limit. */
    void update(MessageDigest digest, ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            ByteBuffer copy = borrow();
            int n = Math.min(copy.capacity(), bytes.remaining());
            copy.put(0, bytes, bytes.position(), n).limit(n);
            bytes.position(bytes.position() + n);
            waiting.incrementAndGet();
            jobs.add(new Job(digest, copy));
        }
    }

    /** Whether the hashing is so far behind that the receiver should stop reading for now. */
    boolean behind() {
        return waiting.get() > IN_FLIGHT;
    }

    /**
     * Runs {@code action} once the backlog is small again: at once on this thread if it is already, else on the
     * hashing thread when it gets there.
     */
    void whenCaughtUp(Runnable action) {
        resume.set(action);
        if (waiting.get() <= RESUME_AT) {
            runResume();
        }
    }

    /** Ends the input; completes once every byte handed over is in its digest (the digests may be read then). */
    CompletableFuture<Void> finish() {
        end();
        return done;
    }

    /** Drops what is still waiting; idempotent, safe after {@link #finish}. */
    @Override
    public void close() {
        cancelled = true;
        end();
    }

    private void end() {
        if (!ended) {
            ended = true;
            jobs.add(END);
        }
    }

    private void run() {
        try {
            for (Job job = jobs.take(); job != END; job = jobs.take()) {
                if (!cancelled) {
                    job.digest().update(job.bytes());
                }
                giveBack(job.bytes());
                if (waiting.decrementAndGet() <= RESUME_AT) {
                    runResume();
                }
            }
            done.complete(null);
        } catch (Throwable e) {
            done.completeExceptionally(e);
        }
    }

    /** The resume action runs once, on whichever thread takes it first. */
    private void runResume() {
        Runnable action = resume.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }

    private static ByteBuffer borrow() {
        ByteBuffer buffer = POOL.poll();
        if (buffer == null) {
            return ByteBuffer.allocate(BUFFER_SIZE);
        }
        pooled.decrementAndGet();
        return buffer.clear();
    }

    private static void giveBack(ByteBuffer buffer) {
        if (pooled.incrementAndGet() <= POOLED) {
            POOL.offer(buffer);
        } else {
            pooled.decrementAndGet();
        }
    }
}
