package dev.procurator.capnp.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.capnproto.AnyPointer;

/**
 * Base of generated {@code Xxx.Server} classes. Methods are called on the thread that received the
 * call (a connection's reader thread, in arrival order, which keeps E-order); a method must not block:
 * return a future for work that waits (a long poll, another call) and complete it later.
 */
public abstract class Server {
    protected CompletionStage<?> dispatch(long interfaceId, short methodId,
                                          CallContext<AnyPointer.Reader, AnyPointer.Builder> call) {
        return unimplemented(interfaceId, methodId);
    }

    protected final CompletionStage<?> unimplemented(long interfaceId, short methodId) {
        return CompletableFuture.failedFuture(RpcException.unimplemented(
                "method " + methodId + " of interface 0x" + Long.toHexString(interfaceId) + " not implemented by "
                        + getClass().getName()));
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
