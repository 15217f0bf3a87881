package dev.procurator.capnp.rpc;

import org.capnproto.FromPointerBuilder;
import org.capnproto.FromPointerReader;

/** A typed call being built: fill {@link #params()} then {@link #send()}. */
public final class Request<P, R, L> {
    private final OutgoingCall call;
    private final FromPointerBuilder<P> paramsFactory;
    private final FromPointerReader<R> resultsFactory;
    private final PipelineFactory<L> pipelineFactory;
    private P params;

    Request(OutgoingCall call, FromPointerBuilder<P> paramsFactory, FromPointerReader<R> resultsFactory,
            PipelineFactory<L> pipelineFactory) {
        this.call = call;
        this.paramsFactory = paramsFactory;
        this.resultsFactory = resultsFactory;
        this.pipelineFactory = pipelineFactory;
    }

    public P params() {
        if (params == null) {
            params = call.params().initAs(paramsFactory);
        }
        return params;
    }

    public RemotePromise<R, L> send() {
        params();
        CallResult result = call.send();
        RemotePromise<R, L> promise = new RemotePromise<>(pipelineFactory.create(result.pipeline(), Pipeline.ROOT));
        result.response().whenComplete((response, error) -> {
            if (error != null) {
                promise.completeExceptionally(RpcException.of(error));
            } else {
                try {
                    promise.complete(response.results().getAs(resultsFactory));
                } catch (RuntimeException e) {
                    promise.completeExceptionally(RpcException.failed("malformed results: " + e.getMessage()));
                }
            }
        });
        return promise;
    }
}
