package dev.procurator.capnp.rpc;

import java.util.concurrent.CompletableFuture;

/**
 * The typed result of a call, plus its {@link #pipeline()}: capabilities in the results can be called
 * before the results arrive (promise pipelining), saving a round trip per hop.
 */
public final class RemotePromise<R, P> extends CompletableFuture<R> {
    private final P pipeline;

    RemotePromise(P pipeline) {
        this.pipeline = pipeline;
    }

    public P pipeline() {
        return pipeline;
    }

    /** Fails fast instead of deadlocking: the results can only arrive through the thread that waits. */
    @Override
    public R join() {
        refuseOnEventLoop();
        return super.join();
    }

    @Override
    public R get() throws InterruptedException, java.util.concurrent.ExecutionException {
        refuseOnEventLoop();
        return super.get();
    }

    @Override
    public R get(long timeout, java.util.concurrent.TimeUnit unit)
            throws InterruptedException, java.util.concurrent.ExecutionException,
            java.util.concurrent.TimeoutException {
        refuseOnEventLoop();
        return super.get(timeout, unit);
    }

    private void refuseOnEventLoop() {
        if (!isDone() && EventLoop.isLoopThread()) {
            throw new IllegalStateException("blocking on an RPC result inside a server method or callback would "
                    + "deadlock the connection's event loop; compose the future instead");
        }
    }
}
