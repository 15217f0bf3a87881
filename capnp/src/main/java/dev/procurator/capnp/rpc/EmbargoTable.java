package dev.procurator.capnp.rpc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Disembargoes this side sent (senderLoopback) and is waiting to see come back (receiverLoopback).
 * Each holds back new calls to a capability until the calls pipelined to it earlier have arrived.
 * Guarded by the connection lock.
 */
final class EmbargoTable {
    private final Map<Integer, CompletableFuture<Void>> pending = new HashMap<>();
    private int nextId;

    /** A new embargo: its id for the Disembargo message, and the future its loopback completes. */
    record Embargo(int id, CompletableFuture<Void> lifted) {
    }

    Embargo create() {
        Embargo embargo = new Embargo(nextId++, new CompletableFuture<>());
        pending.put(embargo.id(), embargo.lifted());
        return embargo;
    }

    /** Removes an embargo whose loopback arrived; null if unknown. Complete it outside the lock. */
    CompletableFuture<Void> remove(int id) {
        return pending.remove(id);
    }

    /** Removes every embargo (the connection is gone). */
    List<CompletableFuture<Void>> drain() {
        List<CompletableFuture<Void>> all = new ArrayList<>(pending.values());
        pending.clear();
        return all;
    }

    int size() {
        return pending.size();
    }
}
