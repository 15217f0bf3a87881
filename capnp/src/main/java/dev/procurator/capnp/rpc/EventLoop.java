package dev.procurator.capnp.rpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One selector thread reading every plain-socket connection, as the C++ implementation's event loop
 * does: an idle connection costs no thread, and a message is handled by the thread epoll woke, which
 * keeps small-call latency close to C++ (a virtual thread per connection adds two hand-offs per
 * message). Incoming calls are dispatched on this thread, so server methods must not block.
 */
final class EventLoop {
    private static final Logger LOG = Logger.getLogger(EventLoop.class.getName());
    private static volatile EventLoop shared;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Wires that queued replies while this thread handled input; flushed once per loop turn. */
    private final Set<NioWire> dirty = new LinkedHashSet<>();

    private EventLoop() throws IOException {
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().daemon().name("capnp-rpc-loop").start(this::run);
    }

    static EventLoop shared() {
        EventLoop loop = shared;
        if (loop == null) {
            synchronized (EventLoop.class) {
                loop = shared;
                if (loop == null) {
                    try {
                        shared = loop = new EventLoop();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot open a selector", e);
                    }
                }
            }
        }
        return loop;
    }

    /** True on the shared loop thread (where blocking on a call's result would deadlock). */
    static boolean isLoopThread() {
        EventLoop loop = shared;
        return loop != null && loop.inLoop();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs a task on the loop thread (registrations, interest changes). */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    Selector selector() {
        return selector;
    }

    void markDirty(NioWire wire) {
        dirty.add(wire);
    }

    private void run() {
        while (true) {
            try {
                selector.select();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
            } catch (Throwable t) {
                // a bug in one connection's handling must not stop every other connection
                LOG.log(Level.SEVERE, "capnp-rpc event loop", t);
            } finally {
                selector.selectedKeys().clear();
                for (NioWire wire : dirty) {
                    wire.flushFromLoop();
                }
                dirty.clear();
            }
        }
    }

    private static void handle(SelectionKey key) {
        NioWire wire = (NioWire) key.attachment();
        try {
            if (key.isReadable()) {
                wire.onReadable();
            }
            if (key.isValid() && key.isWritable()) {
                wire.onWritable();
            }
        } catch (CancelledKeyException e) {
            // another thread closed the connection meanwhile; its reader already saw or will see that
        }
    }
}
