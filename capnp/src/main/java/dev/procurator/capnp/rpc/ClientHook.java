package dev.procurator.capnp.rpc;

import java.util.concurrent.CompletableFuture;
import org.capnproto.AnyPointer;

/**
 * What a capability reference points at: a local {@link Server}, an import from a peer, a promise, or
 * a broken reference. Generated clients wrap one; the runtime never exposes which kind it is.
 */
public interface ClientHook {
    /** Starts a call; the caller fills {@link OutgoingCall#params()} then sends it. */
    OutgoingCall newCall(long interfaceId, short methodId);

    /**
     * Delivers a call whose parameters are already built (an incoming call being forwarded) and whose
     * results go into {@code call.results()}. The default sends a new call and copies parameters and
     * results; capability pointers cannot be copied by org.capnproto:runtime, so forwarding calls that
     * carry capabilities works only to local servers and promises (which override this).
     */
    default CompletableFuture<Void> deliver(long interfaceId, short methodId,
                                            CallContext<AnyPointer.Reader, AnyPointer.Builder> call) {
        try {
            OutgoingCall out = newCall(interfaceId, methodId);
            out.params().setAs(AnyPointer.factory, call.params());
            return out.send().response()
                    .thenAccept(response -> call.results().setAs(AnyPointer.factory, response.results()));
        } catch (RuntimeException | AssertionError e) {
            return CompletableFuture.failedFuture(RpcException.of(e));
        }
    }

    /** The hook this one currently forwards to: itself unless it is a resolved promise. */
    default ClientHook resolved() {
        return this;
    }

    /** Completes when this reference is settled (not a promise any more); fails if it broke. */
    default CompletableFuture<ClientHook> whenResolved() {
        return CompletableFuture.completedFuture(this);
    }

    /**
     * Completes with the reason when the connection this capability lives behind closes; never for a
     * capability in this process.
     */
    default CompletableFuture<RpcException> disconnected() {
        ClientHook target = resolved();
        return target == this ? new CompletableFuture<>() : target.disconnected();
    }

    /** Drops this reference: a remote import is released once all its users are gone. */
    default void release() {
    }

    /** Takes one more reference (paired with a later {@link #release()}). */
    default ClientHook addRef() {
        return this;
    }
}
