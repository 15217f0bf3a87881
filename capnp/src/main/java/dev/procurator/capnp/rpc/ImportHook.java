package dev.procurator.capnp.rpc;

import java.util.concurrent.CompletableFuture;

/**
 * A capability the peer exported to us (senderHosted), or a promise it will resolve later
 * (senderPromise). Counts are guarded by the connection's lock.
 */
final class ImportHook implements ClientHook {
    private final RpcConnection connection;
    private final int importId;
    private final boolean promise;
    private final CompletableFuture<ClientHook> settled = new CompletableFuture<>();
    /** Descriptors the peer sent for this id: what a Release must return. */
    int remoteReferences;
    /** Clients and messages holding this import. */
    int localReferences;
    /** Whether calls went to this promise before it resolved (then a Resolve back to us is embargoed). */
    boolean callsSent;
    private volatile ClientHook resolution;

    ImportHook(RpcConnection connection, int importId, boolean promise) {
        this.connection = connection;
        this.importId = importId;
        this.promise = promise;
        if (!promise) {
            settled.complete(this);
        }
    }

    RpcConnection connection() {
        return connection;
    }

    int importId() {
        return importId;
    }

    /** A Resolve for this promise arrived. */
    void resolve(ClientHook target) {
        resolution = target;
        target.whenResolved().whenComplete((h, e) -> {
            if (e != null) {
                settled.completeExceptionally(e);
            } else {
                settled.complete(h);
            }
        });
    }

    @Override
    public OutgoingCall newCall(long interfaceId, short methodId) {
        ClientHook target = resolution;
        return target != null ? target.newCall(interfaceId, methodId)
                : connection.newCall(this, interfaceId, methodId);
    }

    @Override
    public ClientHook resolved() {
        ClientHook target = resolution;
        return target == null ? this : target.resolved();
    }

    @Override
    public CompletableFuture<RpcException> disconnected() {
        return connection.closed();
    }

    @Override
    public CompletableFuture<ClientHook> whenResolved() {
        return settled;
    }

    @Override
    public ClientHook addRef() {
        connection.adjustImport(this, +1);
        return this;
    }

    @Override
    public void release() {
        connection.adjustImport(this, -1);
    }

    /** What a Resolve pointed this promise at (null before); released with the promise. */
    ClientHook resolution() {
        return resolution;
    }

    boolean isPromise() {
        return promise;
    }

    @Override
    public String toString() {
        return "import#" + importId + "@" + connection;
    }
}
