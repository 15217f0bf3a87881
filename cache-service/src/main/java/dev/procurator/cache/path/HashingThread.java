package dev.procurator.cache.path;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hashes an upload's bytes on a thread of its own, in the order they were handed over, while the receiving thread
 * goes on writing and decompressing the next ones: the client waits for the answer to each upload, so its hashing is
 * on the critical path, and the core the client leaves idle meanwhile can take half of the work. Bytes are copied
 * into pooled buffers; at most {@link #IN_FLIGHT} of them wait, beyond which the receiving thread waits for the
 * hashing to catch up. One receiving thread at a time.
 */
final class HashingThread implements AutoCloseable {

    private static final int BUFFER_SIZE = 128 * 1024;
    /** 4 MiB waiting at most per upload. */
    private static final int IN_FLIGHT = 32;
    /** Buffers kept for the next uploads (8 MiB); more are left to the garbage collector. */
    private static final int POOLED = 64;
    private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger pooled = new AtomicInteger();

    private record Job(MessageDigest digest, ByteBuffer bytes) {
    }

    private static final Job END = new Job(null, null);

    private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final Semaphore room = new Semaphore(IN_FLIGHT);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean cancelled;
    private boolean ended;

    HashingThread() {
        Thread.ofVirtual().name("nar-hashing").start(this::run);
    }

    /** Hands over the buffer's remaining bytes to be added to {@code digest}; its position ends at its limit. */
    void update(MessageDigest digest, ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            room.acquireUninterruptibly();
            ByteBuffer copy = borrow();
            int n = Math.min(copy.capacity(), bytes.remaining());
            copy.put(0, bytes, bytes.position(), n).limit(n);
            bytes.position(bytes.position() + n);
            jobs.add(new Job(digest, copy));
        }
    }

    /** Waits until every byte handed over is in its digest; the digests may be read after this returns. */
    void finish() {
        end();
        done.join();
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
                room.release();
            }
            done.complete(null);
        } catch (Throwable e) {
            done.completeExceptionally(e);
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
