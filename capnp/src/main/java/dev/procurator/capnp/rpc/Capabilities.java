package dev.procurator.capnp.rpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.capnproto.AnyPointer;
import org.capnproto.Arena;
import org.capnproto.BuilderArena;
import org.capnproto.CapnpInternals;
import org.capnproto.SegmentBuilder;
import org.capnproto.SegmentReader;
import org.capnproto.StructReader;

/**
 * Capability pointers (word {@code (capIndex << 32) | 3}) and the per-message capability tables they
 * index. Received messages carry their table in their {@link IncomingMessage} arena; messages being
 * built get one on the first capability written (the runtime's BuilderArena is final, so the table
 * hangs off it in a weak map).
 */
public final class Capabilities {
    private static final Map<BuilderArena, List<ClientHook>> BUILDER_TABLES =
            Collections.synchronizedMap(new WeakHashMap<>());

    private Capabilities() {
    }

    /** Reads the capability in pointer field {@code index} of a struct (generated getters call this). */
    public static ClientHook read(SegmentReader segment, int pointers, short pointerCount, int index) {
        if (index >= pointerCount) {
            return BrokenHook.NULL_CAPABILITY;
        }
        return readAt(segment, pointers + index);
    }

    /** Reads the capability pointer at word {@code pointerWord} of a segment. */
    static ClientHook readAt(SegmentReader segment, int pointerWord) {
        long word = segment.buffer.getLong(pointerWord * 8);
        if (word == 0) {
            return BrokenHook.NULL_CAPABILITY;
        }
        if ((word & 0xffffffffL) != 3) {
            throw RpcException.failed("expected a capability pointer");
        }
        int capIndex = (int) (word >>> 32);
        List<ClientHook> table = tableOf(segment);
        if (table == null || capIndex < 0 || capIndex >= table.size() || table.get(capIndex) == null) {
            return new BrokenHook(RpcException.failed("capability index " + capIndex + " not in the message"));
        }
        return table.get(capIndex);
    }

    /** Writes a capability into pointer field {@code index} (generated setters call this). */
    public static void write(SegmentBuilder segment, int pointers, short pointerCount, int index, Client client) {
        if (index >= pointerCount) {
            throw new IndexOutOfBoundsException("pointer field " + index);
        }
        int word = pointers + index;
        if (client == null) {
            segment.buffer.putLong(word * 8, 0L);
            return;
        }
        writeAt(segment, word, client.hook());
    }

    static void writeAt(SegmentBuilder segment, int pointerWord, ClientHook hook) {
        List<ClientHook> table = BUILDER_TABLES.computeIfAbsent(segment.getArena(), a -> new ArrayList<>());
        long capIndex;
        synchronized (table) {
            capIndex = table.size();
            // not counted: the Client being written holds the reference until the message is sent
            // (an export then takes its own); counting here would leak, as nothing frees the table
            table.add(hook);
        }
        segment.buffer.putLong(pointerWord * 8, (capIndex << 32) | 3);
    }

    /** The capabilities written into a message being built, in cap-index order (empty if none). */
    static List<ClientHook> tableOf(BuilderArena arena) {
        List<ClientHook> table = BUILDER_TABLES.get(arena);
        return table == null ? List.of() : table;
    }

    private static List<ClientHook> tableOf(SegmentReader segment) {
        if (segment instanceof SegmentBuilder builder) {
            return BUILDER_TABLES.get(builder.getArena());
        }
        Arena arena = CapnpInternals.arenaOf(segment);
        return arena instanceof IncomingMessage message ? message.capTable() : null;
    }

    /** Follows pointer fields from a results root to the capability at the end of {@code path}. */
    static ClientHook readPath(AnyPointer.Reader root, short[] path) {
        if (path.length == 0) {
            return readAt(CapnpInternals.segmentOf(root), CapnpInternals.pointerOf(root));
        }
        StructReader struct = root.getAs(AnyStruct.FACTORY);
        for (int i = 0; i < path.length - 1; i++) {
            struct = AnyStruct.pointerField(struct, path[i]).getAs(AnyStruct.FACTORY);
        }
        return read(CapnpInternals.segmentOf(struct), CapnpInternals.pointersOf(struct),
                CapnpInternals.pointerCountOf(struct), path[path.length - 1]);
    }
}
