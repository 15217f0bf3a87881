package dev.procurator.capnp.rpc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Capabilities this side hosts for the peer (rpc.capnp "exports"). Each descriptor we send adds one
 * reference; the peer's Release messages take them away; at zero the id is freed. Exporting the same
 * capability twice reuses its id, as the protocol expects.
 */
final class ExportTable {
    /** One exported capability. */
    static final class Export {
        final int id;
        ClientHook hook;
        int references;

        Export(int id, ClientHook hook) {
            this.id = id;
            this.hook = hook;
        }
    }

    private final List<Export> slots = new ArrayList<>();
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final Map<ClientHook, Export> byHook = new IdentityHashMap<>();

    /** Adds a reference to the export of {@code hook}, creating it if needed; returns its id. */
    Export export(ClientHook hook) {
        Export export = byHook.get(hook);
        if (export == null) {
            Integer reused = free.poll();
            int id = reused != null ? reused : slots.size();
            export = new Export(id, hook.addRef());
            if (reused != null) {
                slots.set(id, export);
            } else {
                slots.add(export);
            }
            byHook.put(hook, export);
        }
        export.references++;
        return export;
    }

    Export get(int id) {
        return id >= 0 && id < slots.size() ? slots.get(id) : null;
    }

    /** Drops {@code count} references; false if the id is unknown or over-released (a protocol error). */
    boolean release(int id, int count) {
        Export export = get(id);
        if (export == null || count < 0 || count > export.references) {
            return false;
        }
        export.references -= count;
        if (export.references == 0) {
            slots.set(id, null);
            free.push(id);
            byHook.remove(export.hook, export);
            export.hook.release();
        }
        return true;
    }

    /** Replaces a promise export's target once the promise has resolved. */
    void redirect(Export export, ClientHook resolution) {
        byHook.remove(export.hook, export);
        ClientHook promise = export.hook;
        export.hook = resolution.addRef();
        promise.release();
        byHook.putIfAbsent(resolution, export);
    }

    /** Frees everything (the connection is gone); returns the hooks to release. */
    List<ClientHook> drain() {
        List<ClientHook> hooks = slots.stream().filter(e -> e != null).map(e -> e.hook).toList();
        slots.clear();
        free.clear();
        byHook.clear();
        return hooks;
    }

    int size() {
        return byHook.size();
    }
}
