package org.capnproto;

/**
 * The few package-private details of org.capnproto:runtime 0.1.16 the RPC layer needs: the arena of a
 * builder (to find the capability table of a message being built) and raw pointer words. The runtime
 * has no capability support, so capability pointers are read and written here, next to it.
 */
public final class CapnpInternals {
    private CapnpInternals() {
    }

    public static BuilderArena arenaOf(StructBuilder builder) {
        return builder.segment.getArena();
    }

    public static BuilderArena arenaOf(AnyPointer.Builder builder) {
        return builder.segment.getArena();
    }

    public static SegmentBuilder segmentOf(AnyPointer.Builder builder) {
        return builder.segment;
    }

    public static int pointerOf(AnyPointer.Builder builder) {
        return builder.pointer;
    }

    public static Arena arenaOf(SegmentReader segment) {
        return segment.arena;
    }

    public static AnyPointer.Reader asReader(AnyPointer.Builder builder, int nestingLimit) {
        return new AnyPointer.Reader(builder.segment, builder.pointer, nestingLimit);
    }

    /** The segment a reader's root lives in (for readers of pointers found inside a struct). */
    public static SegmentReader segmentOf(AnyPointer.Reader reader) {
        return reader.segment;
    }

    public static int pointerOf(AnyPointer.Reader reader) {
        return reader.pointer;
    }

    public static SegmentReader segmentOf(StructReader reader) {
        return reader.segment;
    }

    public static int pointersOf(StructReader reader) {
        return reader.pointers;
    }

    public static short pointerCountOf(StructReader reader) {
        return reader.pointerCount;
    }
}
