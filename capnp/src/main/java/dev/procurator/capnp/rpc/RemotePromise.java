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
}
