package dev.procurator.capnp.rpc;

import java.util.concurrent.CompletionStage;

/** Capabilities that are not known yet. */
public final class Promises {
    private Promises() {
    }

    /**
     * A capability that becomes {@code target} once it completes (or breaks if it fails). It can be
     * called and passed to peers at once: calls wait in order, and a peer holding it receives a
     * {@code Resolve} when it settles. Wrap it in a generated client: {@code new Foo.Client(Promises.of(f))}.
     */
    public static ClientHook of(CompletionStage<? extends Client> target) {
        return new PromiseHook(target.toCompletableFuture().thenApply(Client::hook));
    }
}
