package dev.procurator.capnp.rpc;

import org.capnproto.AnyPointer;
import org.capnproto.SegmentBuilder;
import org.capnproto.SegmentReader;
import org.capnproto.StructBuilder;
import org.capnproto.StructFactory;
import org.capnproto.StructReader;
import org.capnproto.StructSize;

/** A struct of unknown type, to walk pointer fields along a pipeline path. */
final class AnyStruct extends StructReader {
    static final StructFactory<StructBuilder, AnyStruct> FACTORY = new StructFactory<>() {
        @Override
        public AnyStruct constructReader(SegmentReader segment, int data, int pointers, int dataSize,
                                         short pointerCount, int nestingLimit) {
            return new AnyStruct(segment, data, pointers, dataSize, pointerCount, nestingLimit);
        }

        @Override
        public StructBuilder constructBuilder(SegmentBuilder segment, int data, int pointers, int dataSize,
                                              short pointerCount) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public StructSize structSize() {
            return new StructSize((short) 0, (short) 0);
        }

        @Override
        public AnyStruct asReader(StructBuilder builder) {
            throw new UnsupportedOperationException("read-only");
        }
    };

    private AnyStruct(SegmentReader segment, int data, int pointers, int dataSize, short pointerCount,
                      int nestingLimit) {
        super(segment, data, pointers, dataSize, pointerCount, nestingLimit);
    }

    static AnyPointer.Reader pointerField(StructReader struct, int index) {
        return ((AnyStruct) struct)._getPointerField(AnyPointer.factory, index);
    }
}
