package dev.procurator.capnp.rpc;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.capnproto.AnyPointer;
import org.capnproto.Arena;
import org.capnproto.DecodeException;
import org.capnproto.SegmentReader;

/**
 * A received message: its segments, the traversal budget left, and the capability table its
 * capability pointers index (filled from the rpc message's CapDescriptors after parsing).
 */
final class IncomingMessage implements Arena {
    private final List<SegmentReader> segments;
    private final int nestingLimit;
    private long traversalWordsLeft;
    private List<ClientHook> capTable = List.of();

    IncomingMessage(ByteBuffer[] slices, long traversalLimitWords, int nestingLimit) {
        this.segments = new ArrayList<>(slices.length);
        for (ByteBuffer slice : slices) {
            segments.add(new SegmentReader(slice, this));
        }
        this.traversalWordsLeft = traversalLimitWords;
        this.nestingLimit = nestingLimit;
    }

    AnyPointer.Reader root() {
        return new AnyPointer.Reader(segments.get(0), 0, nestingLimit);
    }

    @Override
    public SegmentReader tryGetSegment(int id) {
        if (id < 0 || id >= segments.size()) {
            throw new DecodeException("far pointer to missing segment " + id);
        }
        return segments.get(id);
    }

    @Override
    public void checkReadLimit(int numWords) {
        if (numWords > traversalWordsLeft) {
            throw new DecodeException("traversal limit exceeded");
        }
        traversalWordsLeft -= numWords;
    }

    List<ClientHook> capTable() {
        return capTable;
    }

    void setCapTable(List<ClientHook> table) {
        this.capTable = table;
    }
}
