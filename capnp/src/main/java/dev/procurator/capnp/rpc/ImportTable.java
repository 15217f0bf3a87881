package dev.procurator.capnp.rpc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Capabilities the peer hosts that this side holds (rpc.capnp "imports"), keyed by the peer's export
 * id. {@link ImportHook} counts how many descriptors named it (the peer's count, returned in Release)
 * and how many local references hold it (Clients, messages); at zero local references it is released.
 */
final class ImportTable {
    private final Map<Integer, ImportHook> imports = new HashMap<>();

    ImportHook get(int id) {
        return imports.get(id);
    }

    void put(ImportHook hook) {
        imports.put(hook.importId(), hook);
    }

    void remove(ImportHook hook) {
        imports.remove(hook.importId(), hook);
    }

    List<ImportHook> drain() {
        List<ImportHook> all = new ArrayList<>(imports.values());
        imports.clear();
        return all;
    }

    int size() {
        return imports.size();
    }
}
