package dev.procurator.capnp.rpc;

import java.util.concurrent.CompletableFuture;
import org.capnproto.AnyPointer;
import org.capnproto.CapnpInternals;
import org.capnproto.MessageBuilder;

/** A capability implemented in this process: calls go straight to the {@link Server}. */
final class LocalHook implements ClientHook {
    private final Server server;

    LocalHook(Server server) {
        this.server = server;
    }

    Server server() {
        return server;
    }

    @Override
    public OutgoingCall newCall(long interfaceId, short methodId) {
        return new LocalCall(this, interfaceId, methodId);
    }

    @Override
    public CompletableFuture<Void> deliver(long interfaceId, short methodId,
                                           CallContext<AnyPointer.Reader, AnyPointer.Builder> call) {
        return Server.deliver(server, interfaceId, methodId, call).thenApply(x -> null);
    }

    /** A call built in its own message and delivered to a hook in this process. */
    static final class LocalCall implements OutgoingCall {
        private final ClientHook target;
        private final long interfaceId;
        private final short methodId;
        private final MessageBuilder params = new MessageBuilder(256);

        LocalCall(ClientHook target, long interfaceId, short methodId) {
            this.target = target;
            this.interfaceId = interfaceId;
            this.methodId = methodId;
        }

        @Override
        public AnyPointer.Builder params() {
            return params.getRoot(AnyPointer.factory);
        }

        @Override
        public CallResult send() {
            CompletableFuture<Response> response = deliverTo(target);
            return new CallResult(response, new LocalPipeline(response));
        }

        CompletableFuture<Response> deliverTo(ClientHook hook) {
            MessageBuilder results = new MessageBuilder(256);
            CallContext<AnyPointer.Reader, AnyPointer.Builder> call = CallContext.untyped(
                    CapnpInternals.asReader(params(), 64), () -> results.getRoot(AnyPointer.factory));
            return hook.deliver(interfaceId, methodId, call).thenApply(done ->
                    new Response(CapnpInternals.asReader(results.getRoot(AnyPointer.factory), 64)));
        }
    }

    /**
     * Pipelining on a local call: the capability becomes a promise of the field in the response. One
     * promise per path, so every call pipelined on the same capability waits in the same queue and
     * runs in the order it was made (E-order).
     */
    static final class LocalPipeline implements PipelineHook {
        private final CompletableFuture<Response> response;
        private final java.util.Map<String, PromiseHook> byPath = new java.util.concurrent.ConcurrentHashMap<>();

        LocalPipeline(CompletableFuture<Response> response) {
            this.response = response;
        }

        @Override
        public ClientHook getPipelinedCap(short[] path) {
            return byPath.computeIfAbsent(java.util.Arrays.toString(path),
                    key -> new PromiseHook(response.thenApply(r -> Capabilities.readPath(r.results(), path))));
        }
    }
}
