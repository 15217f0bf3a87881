package dev.procurator.capnp.compiler;

import org.capnproto.SegmentBuilder;
import org.capnproto.SegmentReader;
import org.capnproto.StructBuilder;
import org.capnproto.StructFactory;
import org.capnproto.StructList;
import org.capnproto.StructReader;
import org.capnproto.StructSize;
import org.capnproto.Text;

/**
 * An untyped struct reader that exposes the runtime's offset-based accessors. The hand-written
 * readers of schema.capnp ({@link SchemaModel}) are built on it: the generator needs them before any
 * generated code exists, and schema.capnp's layout is frozen, so hard-coding its offsets is safe.
 */
final class RawStruct extends StructReader {
    static final StructFactory<Unused, RawStruct> FACTORY = new StructFactory<>() {
        @Override
        public RawStruct constructReader(SegmentReader segment, int data, int pointers, int dataSize,
                                         short pointerCount, int nestingLimit) {
            return new RawStruct(segment, data, pointers, dataSize, pointerCount, nestingLimit);
        }

        @Override
        public Unused constructBuilder(SegmentBuilder segment, int data, int pointers, int dataSize,
                                       short pointerCount) {
            throw new UnsupportedOperationException("schema readers are read-only");
        }

        @Override
        public StructSize structSize() {
            return new StructSize((short) 0, (short) 0);
        }

        @Override
        public RawStruct asReader(Unused builder) {
            throw new UnsupportedOperationException("schema readers are read-only");
        }
    };
    static final StructList.Factory<Unused, RawStruct> LIST_FACTORY = new StructList.Factory<>(FACTORY);

    /** Never instantiated: the builder side of {@link #FACTORY} is unused. */
    static final class Unused extends StructBuilder {
        private Unused() {
            super(null, 0, 0, 0, (short) 0);
        }
    }

    private RawStruct(SegmentReader segment, int data, int pointers, int dataSize, short pointerCount,
                      int nestingLimit) {
        super(segment, data, pointers, dataSize, pointerCount, nestingLimit);
    }

    boolean bool(int bit) {
        return _getBooleanField(bit);
    }

    int u16(int bit) {
        return _getShortField(bit / 16) & 0xffff;
    }

    long u32(int bit) {
        return _getIntField(bit / 32) & 0xffffffffL;
    }

    long u64(int bit) {
        return _getLongField(bit / 64);
    }

    byte i8(int bit) {
        return _getByteField(bit / 8);
    }

    short i16(int bit) {
        return _getShortField(bit / 16);
    }

    int i32(int bit) {
        return _getIntField(bit / 32);
    }

    String text(int ptr) {
        return _pointerFieldIsNull(ptr) ? "" : _getPointerField(Text.factory, ptr).toString();
    }

    RawStruct struct(int ptr) {
        return _getPointerField(FACTORY, ptr);
    }

    StructList.Reader<RawStruct> list(int ptr) {
        return _getPointerField(LIST_FACTORY, ptr);
    }

    boolean isNull(int ptr) {
        return _pointerFieldIsNull(ptr);
    }

    /** The segment and word offset of pointer {@code ptr}, for copying AnyPointer values. */
    org.capnproto.AnyPointer.Reader anyPointer(int ptr) {
        return _getPointerField(org.capnproto.AnyPointer.factory, ptr);
    }
}
