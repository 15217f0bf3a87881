package dev.procurator.capnp.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.capnproto.AnyPointer;

/**
 * Base of generated {@code Xxx.Server} classes. By default methods run on the thread that received
 * the call (the RPC event loop), in arrival order, which keeps E-order; such a method must not block:
 * return a future for work that waits (a long poll, another call) and complete it later.
 *
 * <p>A server whose methods block (database access, files, processes) passes an executor instead,
 * e.g. {@code super(Executors.newVirtualThreadPerTaskExecutor())}: its calls then run there, one at a
 * time and still in arrival order, and the event loop stays free for every other connection.
 */
public abstract class Server {
    private final java.util.concurrent.Executor executor;

    protected Server() {
        this.executor = null;
    }

    protected Server(java.util.concurrent.Executor executor) {
        this.executor = executor == null ? null : new SerialExecutor(executor);
    }

    protected CompletionStage<?> dispatch(long interfaceId, short methodId,
                                          CallContext<AnyPointer.Reader, AnyPointer.Builder> call) {
        return unimplemented(interfaceId, methodId);
    }

    protected final CompletionStage<?> unimplemented(long interfaceId, short methodId) {
        return CompletableFuture.failedFuture(RpcException.unimplemented(
                "method " + methodId + " of interface 0x" + Long.toHexString(interfaceId) + " not implemented by "
                        + getClass().getName()));
    }

    /** Runs a call where the server wants it (see the class comment); completes when the method's stage does. */
    static CompletableFuture<?> deliver(Server server, long interfaceId, short methodId,
                                        CallContext<AnyPointer.Reader, AnyPointer.Builder> call) {
        if (server.executor == null) {
            return invoke(server, interfaceId, methodId, call);
        }
        CompletableFuture<Object> done = new CompletableFuture<>();
        server.executor.execute(() -> invoke(server, interfaceId, methodId, call).whenComplete((v, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(v);
            }
        }));
        return done;
    }

    /** Runs a call, turning a thrown exception or a null stage into a completed future. */
    static CompletableFuture<?> invoke(Server server, long interfaceId, short methodId,
                                       CallContext<AnyPointer.Reader, AnyPointer.Builder> call) {
        try {
            CompletionStage<?> stage = server.dispatch(interfaceId, methodId, call);
            return stage == null ? CompletableFuture.completedFuture(null) : stage.toCompletableFuture();
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(RpcException.of(t));
        }
    }
}
