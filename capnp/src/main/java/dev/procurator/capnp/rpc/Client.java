package dev.procurator.capnp.rpc;

import java.lang.ref.Cleaner;
import java.util.concurrent.CompletableFuture;
import org.capnproto.FromPointerBuilder;
import org.capnproto.FromPointerReader;

/**
 * Base of generated {@code Xxx.Client} classes: one counted reference to a capability. Closing it (or
 * letting it be garbage collected) drops the reference; a remote capability is released (rpc.capnp
 * {@code Release}) once no Client and no message refers to it any more.
 */
public abstract class Client implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private final ClientHook hook;
    private final Cleaner.Cleanable cleanable;

    protected Client(ClientHook hook) {
        this.hook = hook == null ? BrokenHook.NULL_CAPABILITY : hook.addRef();
        ClientHook held = this.hook;
        this.cleanable = CLEANER.register(this, held::release);
    }

    protected Client(Server server) {
        this(new LocalHook(server));
    }

    public final ClientHook hook() {
        return hook;
    }

    protected final <P, R, L> Request<P, R, L> newRequest(long interfaceId, short methodId,
                                                         FromPointerBuilder<P> params, FromPointerReader<R> results,
                                                         PipelineFactory<L> pipeline) {
        return new Request<>(hook.newCall(interfaceId, methodId), params, results, pipeline);
    }

    /** Completes once this reference is no longer a promise; fails if the capability broke. */
    public final CompletableFuture<Void> whenResolved() {
        return hook.whenResolved().thenApply(h -> null);
    }

    /**
     * Completes with the reason when the peer hosting this capability disconnects (e.g. to mark a
     * worker unreachable at once); never completes for a capability in this process.
     */
    public final CompletableFuture<RpcException> whenDisconnected() {
        return hook.disconnected();
    }

    /** Drops this reference now rather than at garbage collection. Idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }
}
