package dev.procurator.capnp.rpc;

import java.util.concurrent.CompletableFuture;
import org.capnproto.AnyPointer;
import org.capnproto.MessageBuilder;

/** A capability every call on which fails: a null pointer, a broken promise, a closed connection. */
final class BrokenHook implements ClientHook {
    static final BrokenHook NULL_CAPABILITY = new BrokenHook(RpcException.failed("called a null capability"));
    private final RpcException error;

    BrokenHook(RpcException error) {
        this.error = error;
    }

    RpcException error() {
        return error;
    }

    @Override
    public OutgoingCall newCall(long interfaceId, short methodId) {
        MessageBuilder scratch = new MessageBuilder(64);
        return new OutgoingCall() {
            @Override
            public AnyPointer.Builder params() {
                return scratch.getRoot(AnyPointer.factory);
            }

            @Override
            public CallResult send() {
                return new CallResult(CompletableFuture.failedFuture(error), path -> BrokenHook.this);
            }
        };
    }

    @Override
    public CompletableFuture<ClientHook> whenResolved() {
        return CompletableFuture.failedFuture(error);
    }
}
