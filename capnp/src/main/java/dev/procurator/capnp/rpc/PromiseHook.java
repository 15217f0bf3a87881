package dev.procurator.capnp.rpc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.capnproto.AnyPointer;

/**
 * A capability that will be known later (a pipelined field of a local call, a promise export being
 * resolved). Calls made before the resolution are queued and delivered in order once it arrives, so
 * E-order holds; CompletableFuture alone would not keep that order.
 */
final class PromiseHook implements ClientHook {
    private final CompletableFuture<ClientHook> settled = new CompletableFuture<>();
    private final ArrayDeque<Consumer<ClientHook>> queue = new ArrayDeque<>();
    private ClientHook resolution;

    PromiseHook(CompletableFuture<ClientHook> target) {
        target.whenComplete((hook, error) -> resolve(error == null ? hook : new BrokenHook(RpcException.of(error))));
    }

    private void resolve(ClientHook hook) {
        while (true) {
            List<Consumer<ClientHook>> batch;
            synchronized (this) {
                if (queue.isEmpty()) {
                    resolution = hook;
                    break;
                }
                batch = new ArrayList<>(queue);
                queue.clear();
            }
            batch.forEach(action -> action.accept(hook));
        }
        if (hook instanceof BrokenHook broken) {
            settled.completeExceptionally(broken.error());
        } else {
            hook.whenResolved().whenComplete((h, e) -> {
                if (e != null) {
                    settled.completeExceptionally(e);
                } else {
                    settled.complete(h);
                }
            });
        }
    }

    /** Runs the action on the resolution now, or queues it behind earlier calls. */
    private void whenKnown(Consumer<ClientHook> action) {
        ClientHook known;
        synchronized (this) {
            if (resolution == null) {
                queue.add(action);
                return;
            }
            known = resolution;
        }
        action.accept(known);
    }

    @Override
    public synchronized ClientHook resolved() {
        return resolution == null ? this : resolution.resolved();
    }

    @Override
    public CompletableFuture<ClientHook> whenResolved() {
        return settled;
    }

    @Override
    public OutgoingCall newCall(long interfaceId, short methodId) {
        ClientHook known = resolved();
        if (known != this) {
            return known.newCall(interfaceId, methodId);
        }
        return new LocalHook.LocalCall(this, interfaceId, methodId);
    }

    @Override
    public CompletableFuture<Void> deliver(long interfaceId, short methodId,
                                           CallContext<AnyPointer.Reader, AnyPointer.Builder> call) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        whenKnown(hook -> hook.deliver(interfaceId, methodId, call).whenComplete((v, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(null);
            }
        }));
        return done;
    }
}
