package dev.procurator.capnp.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.capnproto.AnyPointer;
import org.capnproto.StructList;

/**
 * Hand-written readers for the parts of {@code schema.capnp} the generator uses. Bit and pointer
 * offsets are those printed by {@code capnp compile -ocapnp schema.capnp}; {@code SchemaModelTest}
 * checks them against the reference compiler.
 */
final class SchemaModel {
    private SchemaModel() {
    }

    static <T> List<T> map(StructList.Reader<RawStruct> list, Function<RawStruct, T> wrap) {
        List<T> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(wrap.apply(list.get(i)));
        }
        return out;
    }

    record CodeGeneratorRequest(RawStruct raw) {
        List<Node> nodes() {
            return map(raw.list(0), Node::new);
        }

        List<RequestedFile> requestedFiles() {
            return map(raw.list(1), RequestedFile::new);
        }

        /** Doc comments by node id (absent from requests of old compilers). */
        java.util.Map<Long, Docs> docs() {
            java.util.Map<Long, Docs> out = new java.util.HashMap<>();
            if (raw.isNull(3)) {
                return out;
            }
            for (RawStruct info : map(raw.list(3), r -> r)) {
                out.put(info.u64(0), new Docs(info.text(0), map(info.list(1), m -> m.text(0))));
            }
            return out;
        }
    }

    /** A node's doc comment and those of its members (fields, enumerants, methods) by index. */
    record Docs(String comment, List<String> members) {
        static final Docs NONE = new Docs("", List.of());

        String member(int index) {
            return index < members.size() ? members.get(index) : "";
        }
    }

    record RequestedFile(RawStruct raw) {
        long id() {
            return raw.u64(0);
        }

        String filename() {
            return raw.text(0);
        }
    }

    record NestedNode(RawStruct raw) {
        String name() {
            return raw.text(0);
        }

        long id() {
            return raw.u64(0);
        }
    }

    enum NodeKind { FILE, STRUCT, ENUM, INTERFACE, CONST, ANNOTATION, UNKNOWN }

    record Node(RawStruct raw) {
        long id() {
            return raw.u64(0);
        }

        String displayName() {
            return raw.text(0);
        }

        int displayNamePrefixLength() {
            return (int) raw.u32(64);
        }

        long scopeId() {
            return raw.u64(128);
        }

        List<NestedNode> nestedNodes() {
            return map(raw.list(1), NestedNode::new);
        }

        List<Annotation> annotations() {
            return map(raw.list(2), Annotation::new);
        }

        boolean isGeneric() {
            return raw.bool(288);
        }

        NodeKind kind() {
            int tag = raw.u16(96);
            return tag < NodeKind.UNKNOWN.ordinal() ? NodeKind.values()[tag] : NodeKind.UNKNOWN;
        }

        // struct group
        int dataWordCount() {
            return raw.u16(112);
        }

        int pointerCount() {
            return raw.u16(192);
        }

        boolean isGroup() {
            return raw.bool(224);
        }

        int discriminantCount() {
            return raw.u16(240);
        }

        long discriminantOffset() {
            return raw.u32(256);
        }

        List<Field> fields() {
            return map(raw.list(3), Field::new);
        }

        // enum group
        List<Enumerant> enumerants() {
            return map(raw.list(3), Enumerant::new);
        }

        // interface group
        List<Method> methods() {
            return map(raw.list(3), Method::new);
        }

        List<Long> superclassIds() {
            return map(raw.list(4), s -> s.u64(0));
        }

        // const group
        Type constType() {
            return new Type(raw.struct(3));
        }

        Value constValue() {
            return new Value(raw.struct(4));
        }

        String shortDisplayName() {
            return displayName().substring(displayNamePrefixLength());
        }
    }

    record Field(RawStruct raw) {
        static final int NO_DISCRIMINANT = 0xffff;

        String name() {
            return raw.text(0);
        }

        int codeOrder() {
            return raw.u16(0);
        }

        int discriminantValue() {
            return raw.u16(16) ^ NO_DISCRIMINANT;
        }

        boolean inUnion() {
            return discriminantValue() != NO_DISCRIMINANT;
        }

        boolean isGroup() {
            return raw.u16(64) == 1;
        }

        long offset() {
            return raw.u32(32);
        }

        Type type() {
            return new Type(raw.struct(2));
        }

        Value defaultValue() {
            return new Value(raw.struct(3));
        }

        boolean hadExplicitDefault() {
            return raw.bool(128);
        }

        long groupTypeId() {
            return raw.u64(128);
        }

        List<Annotation> annotations() {
            return map(raw.list(1), Annotation::new);
        }
    }

    record Enumerant(RawStruct raw) {
        String name() {
            return raw.text(0);
        }

        int codeOrder() {
            return raw.u16(0);
        }
    }

    record Method(RawStruct raw) {
        String name() {
            return raw.text(0);
        }

        int codeOrder() {
            return raw.u16(0);
        }

        long paramStructType() {
            return raw.u64(64);
        }

        long resultStructType() {
            return raw.u64(128);
        }
    }

    record Annotation(RawStruct raw) {
        long id() {
            return raw.u64(0);
        }

        Value value() {
            return new Value(raw.struct(0));
        }
    }

    /** The type tags of schema.capnp's {@code Type} union, in tag order. */
    enum TypeKind {
        VOID, BOOL, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, FLOAT32, FLOAT64,
        TEXT, DATA, LIST, ENUM, STRUCT, INTERFACE, ANY_POINTER;

        boolean isPointer() {
            return ordinal() >= TEXT.ordinal() && this != ENUM;
        }
    }

    record Type(RawStruct raw) {
        TypeKind kind() {
            int tag = raw.u16(0);
            if (tag >= TypeKind.values().length) {
                throw new IllegalArgumentException("unknown type tag " + tag);
            }
            return TypeKind.values()[tag];
        }

        Type elementType() {
            return new Type(raw.struct(0));
        }

        long typeId() {
            return raw.u64(64);
        }

        /** 0 when the AnyPointer is unconstrained; generic parameters are treated as AnyPointer too. */
        boolean isAnyPointerParameter() {
            return kind() == TypeKind.ANY_POINTER && raw.u16(64) != 0;
        }
    }

    record Value(RawStruct raw) {
        TypeKind kind() {
            return TypeKind.values()[raw.u16(0)];
        }

        boolean bool() {
            return raw.bool(16);
        }

        long int8() {
            return raw.i8(16);
        }

        long int16() {
            return raw.i16(16);
        }

        long int32() {
            return raw.i32(32);
        }

        long int64() {
            return raw.u64(64);
        }

        long uint8() {
            return raw.i8(16) & 0xff;
        }

        long uint16() {
            return raw.u16(16);
        }

        long uint32() {
            return raw.u32(32);
        }

        int float32Bits() {
            return raw.i32(32);
        }

        long float64Bits() {
            return raw.u64(64);
        }

        int enumValue() {
            return raw.u16(16);
        }

        String text() {
            return raw.text(0);
        }

        boolean pointerIsNull() {
            return raw.isNull(0);
        }

        AnyPointer.Reader pointer() {
            return raw.anyPointer(0);
        }
    }
}
