package dev.procurator.capnp.compiler;

import dev.procurator.capnp.compiler.SchemaModel.Field;
import dev.procurator.capnp.compiler.SchemaModel.Node;
import dev.procurator.capnp.compiler.SchemaModel.Type;
import dev.procurator.capnp.compiler.SchemaModel.TypeKind;
import dev.procurator.capnp.compiler.SchemaModel.Value;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Emits a struct (or group) as a class holding {@code Reader}, {@code Builder}, {@code Pipeline},
 * a {@code Which} enum for its union and the runtime factories.
 */
final class StructEmitter {
    private static final String RT = "org.capnproto.";
    private static final String CAPS = "dev.procurator.capnp.rpc.Capabilities";
    private final Map<Long, Node> nodes;
    private final NameTable names;
    private final JavaTypes types;

    private final Map<Long, SchemaModel.Docs> docs;

    StructEmitter(Map<Long, Node> nodes, NameTable names, JavaTypes types, Map<Long, SchemaModel.Docs> docs) {
        this.nodes = nodes;
        this.names = names;
        this.types = types;
        this.docs = docs;
    }

    /** Emits the members of the struct's class; the caller opens and closes the class itself. */
    void emitMembers(SourceWriter w, Node node) {
        List<Field> fields = node.fields().stream().sorted(Comparator.comparingInt(Field::codeOrder)).toList();
        if (!node.isGroup()) {
            w.line("public static final long TYPE_ID = %s;", Literals.hex(node.id()));
            w.line("public static final %sStructSize STRUCT_SIZE = new %sStructSize((short) %d, (short) %d);",
                    RT, RT, node.dataWordCount(), node.pointerCount());
            emitFactory(w);
        }
        for (Field field : fields) {
            emitDefaultConstant(w, field);
        }
        emitBuilder(w, node, fields);
        emitReader(w, node, fields);
        emitPipeline(w, fields);
        if (node.discriminantCount() > 0) {
            w.open("public enum Which");
            for (Field field : unionMembers(fields)) {
                w.line("%s,", NameTable.constantCase(field.name()));
            }
            w.line("_NOT_IN_SCHEMA");
            w.close();
        }
    }

    private static List<Field> unionMembers(List<Field> fields) {
        return fields.stream().filter(Field::inUnion).sorted(Comparator.comparingInt(Field::discriminantValue))
                .toList();
    }

    private void emitFactory(SourceWriter w) {
        w.open("public static final class Factory extends %sStructFactory<Builder, Reader>", RT);
        w.open("public Factory()").close();
        w.open("public final Reader constructReader(%sSegmentReader segment, int data, int pointers, int dataSize, "
                + "short pointerCount, int nestingLimit)", RT);
        w.line("return new Reader(segment, data, pointers, dataSize, pointerCount, nestingLimit);").close();
        w.open("public final Builder constructBuilder(%sSegmentBuilder segment, int data, int pointers, "
                + "int dataSize, short pointerCount)", RT);
        w.line("return new Builder(segment, data, pointers, dataSize, pointerCount);").close();
        w.open("public final %sStructSize structSize()", RT).line("return STRUCT_SIZE;").close();
        w.open("public final Reader asReader(Builder builder)").line("return builder.asReader();").close();
        w.close();
        w.line("public static final Factory factory = new Factory();");
        w.line("public static final %sStructList.Factory<Builder, Reader> listFactory = "
                + "new %sStructList.Factory<>(factory);", RT, RT);
    }

    private static String defaultName(Field field) {
        return "DEFAULT_" + NameTable.constantCase(field.name());
    }

    /** Pointer defaults live in static fields so each access does not decode them again. */
    private void emitDefaultConstant(SourceWriter w, Field field) {
        if (field.isGroup() || !field.hadExplicitDefault()) {
            return;
        }
        Value value = field.defaultValue();
        switch (field.type().kind()) {
            case TEXT -> w.line("private static final java.nio.ByteBuffer %s = java.nio.ByteBuffer.wrap(%s"
                    + ".getBytes(java.nio.charset.StandardCharsets.UTF_8));", defaultName(field),
                    Literals.string(value.text()));
            case DATA -> w.line("private static final java.nio.ByteBuffer %s = java.nio.ByteBuffer.wrap(%s"
                    + ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));", defaultName(field),
                    Literals.byteString(dataBytes(value)));
            case STRUCT, LIST, ANY_POINTER -> {
                if (!value.pointerIsNull()) {
                    w.line("private static final %sSegmentReader %s = %sGeneratedClassSupport.decodeRawBytes(%s);",
                            RT, defaultName(field), RT, Literals.byteString(Literals.flatten(value.pointer())));
                }
            }
            default -> {
            }
        }
    }

    static byte[] dataBytes(Value value) {
        org.capnproto.Data.Reader data = value.pointer().getAs(org.capnproto.Data.factory);
        return data.toArray();
    }

    private boolean hasPointerDefault(Field field) {
        TypeKind kind = field.type().kind();
        return field.hadExplicitDefault() && kind.isPointer() && kind != TypeKind.INTERFACE
                && (kind == TypeKind.TEXT || kind == TypeKind.DATA || !field.defaultValue().pointerIsNull());
    }

    private void emitBuilder(SourceWriter w, Node node, List<Field> fields) {
        w.open("public static final class Builder extends %sStructBuilder", RT);
        w.open("Builder(%sSegmentBuilder segment, int data, int pointers, int dataSize, short pointerCount)", RT)
                .line("super(segment, data, pointers, dataSize, pointerCount);").close();
        w.open("public final Reader asReader()")
                .line("return new Reader(segment, data, pointers, dataSize, pointerCount, 0x7fffffff);").close();
        emitWhich(w, node);
        for (Field field : fields) {
            emitAccessors(w, node, field, true);
        }
        w.close();
    }

    private void emitReader(SourceWriter w, Node node, List<Field> fields) {
        w.open("public static final class Reader extends %sStructReader", RT);
        w.open("Reader(%sSegmentReader segment, int data, int pointers, int dataSize, short pointerCount, "
                + "int nestingLimit)", RT)
                .line("super(segment, data, pointers, dataSize, pointerCount, nestingLimit);").close();
        emitWhich(w, node);
        SchemaModel.Docs nodeDocs = docs.getOrDefault(node.id(), SchemaModel.Docs.NONE);
        List<Field> declared = node.fields();
        for (Field field : fields) {
            int index = 0;
            while (index < declared.size() && !declared.get(index).name().equals(field.name())) {
                index++;
            }
            w.doc(nodeDocs.member(index));
            emitAccessors(w, node, field, false);
        }
        w.close();
    }

    private void emitWhich(SourceWriter w, Node node) {
        if (node.discriminantCount() == 0) {
            return;
        }
        w.open("public final Which which()");
        w.open("switch (_getShortField(%d))", node.discriminantOffset());
        for (Field field : unionMembers(node.fields())) {
            w.line("case %d: return Which.%s;", field.discriminantValue(), NameTable.constantCase(field.name()));
        }
        w.line("default: return Which._NOT_IN_SCHEMA;");
        w.close().close();
    }

    private void emitAccessors(SourceWriter w, Node owner, Field field, boolean builder) {
        String cap = NameTable.accessorName(field.name());
        String setTag = field.inUnion()
                ? String.format("_setShortField(%d, (short) %d); ", owner.discriminantOffset(),
                field.discriminantValue())
                : "";
        if (field.inUnion()) {
            w.open("public final boolean is%s()", cap)
                    .line("return which() == Which.%s;", NameTable.constantCase(field.name())).close();
        }
        if (field.isGroup()) {
            String group = names.qualified(field.groupTypeId());
            if (builder) {
                w.open("public final %s.Builder get%s()", group, cap)
                        .line("return new %s.Builder(segment, data, pointers, dataSize, pointerCount);", group)
                        .close();
                w.open("public final %s.Builder init%s()", group, cap);
                if (!setTag.isEmpty()) {
                    w.line(setTag.trim());
                }
                emitClearGroup(w, nodes.get(field.groupTypeId()));
                w.line("return get%s();", cap).close();
            } else {
                w.open("public final %s.Reader get%s()", group, cap)
                        .line("return new %s.Reader(segment, data, pointers, dataSize, pointerCount, nestingLimit);",
                                group).close();
            }
            return;
        }
        Type type = field.type();
        TypeKind kind = type.kind();
        if (kind == TypeKind.LIST && JavaTypes.isOpaqueList(type)) {
            kind = TypeKind.ANY_POINTER;
        }
        long offset = field.offset();
        switch (kind) {
            case VOID -> {
                w.open("public final %sVoid get%s()", RT, cap).line("return %sVoid.VOID;", RT).close();
                if (builder) {
                    w.open("public final void set%s(%sVoid value)", cap, RT).line(setTag).close();
                    if (field.inUnion()) {
                        w.open("public final void set%s()", cap).line(setTag).close();
                    }
                }
            }
            case BOOL, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, FLOAT32, FLOAT64 -> {
                String javaType = JavaTypes.primitive(kind);
                String stem = JavaTypes.accessorStem(kind);
                String mask = maskLiteral(field);
                String maskArg = mask == null ? "" : ", " + mask;
                w.open("public final %s get%s()", javaType, cap)
                        .line("return _get%sField(%d%s);", stem, offset, maskArg).close();
                if (builder) {
                    w.open("public final void set%s(%s value)", cap, javaType)
                            .line("%s_set%sField(%d, value%s);", setTag, stem, offset, maskArg).close();
                }
            }
            case ENUM -> {
                String enumType = names.qualified(type.typeId());
                String mask = maskLiteral(field);
                String maskArg = mask == null ? "" : ", " + mask;
                w.open("public final %s get%s()", enumType, cap)
                        .line("int raw = _getShortField(%d%s) & 0xffff;", offset, maskArg)
                        .line("%s[] all = %s.values();", enumType, enumType)
                        .line("return raw < all.length - 1 ? all[raw] : %s._NOT_IN_SCHEMA;", enumType).close();
                if (builder) {
                    w.open("public final void set%s(%s value)", cap, enumType)
                            .line("%s_setShortField(%d, (short) value.ordinal()%s);", setTag, offset, maskArg)
                            .close();
                }
            }
            case TEXT, DATA -> emitBlob(w, field, cap, setTag, builder, kind == TypeKind.TEXT ? "Text" : "Data");
            case STRUCT, LIST, ANY_POINTER -> emitPointer(w, field, kind, cap, setTag, builder);
            case INTERFACE -> {
                String client = names.qualified(type.typeId()) + ".Client";
                w.open("public final boolean has%s()", cap).line("return !_pointerFieldIsNull(%d);", offset).close();
                w.open("public final %s get%s()", client, cap)
                        .line("return new %s(%s.read(segment, pointers, pointerCount, %d));", client, CAPS, offset)
                        .close();
                if (builder) {
                    w.open("public final void set%s(%s value)", cap, client)
                            .line("%s%s.write(segment, pointers, pointerCount, %d, value);", setTag, CAPS, offset)
                            .close();
                }
            }
            default -> throw new IllegalStateException("unhandled type " + kind);
        }
    }

    private void emitBlob(SourceWriter w, Field field, String cap, String setTag, boolean builder, String blob) {
        long ptr = field.offset();
        String def = field.hadExplicitDefault()
                ? String.format(", %s, 0, %s.limit()", defaultName(field), defaultName(field)) : "";
        String side = builder ? "Builder" : "Reader";
        w.open("public final boolean has%s()", cap).line("return !_pointerFieldIsNull(%d);", ptr).close();
        w.open("public final %s%s.%s get%s()", RT, blob, side, cap)
                .line("return _getPointerField(%s%s.factory, %d%s);", RT, blob, ptr, def).close();
        if (!builder) {
            return;
        }
        w.open("public final void set%s(%s%s.Reader value)", cap, RT, blob)
                .line("%s_setPointerField(%s%s.factory, %d, value);", setTag, RT, blob, ptr).close();
        if (blob.equals("Text")) {
            w.open("public final void set%s(String value)", cap)
                    .line("%s_setPointerField(%sText.factory, %d, new %sText.Reader(value));", setTag, RT, ptr, RT)
                    .close();
        } else {
            w.open("public final void set%s(byte[] value)", cap)
                    .line("%s_setPointerField(%sData.factory, %d, new %sData.Reader(value));", setTag, RT, ptr, RT)
                    .close();
        }
        w.open("public final %s%s.Builder init%s(int size)", RT, blob, cap)
                .line("%sreturn _initPointerField(%s%s.factory, %d, size);", setTag, RT, blob, ptr).close();
    }

    private void emitPointer(SourceWriter w, Field field, TypeKind kind, String cap, String setTag, boolean builder) {
        long ptr = field.offset();
        Type type = field.type();
        boolean any = kind == TypeKind.ANY_POINTER;
        String javaType = any ? (builder ? RT + "AnyPointer.Builder" : RT + "AnyPointer.Reader")
                : builder ? types.builder(type) : types.reader(type);
        String factory = any ? RT + "AnyPointer.factory" : types.factory(type);
        String def = !any && hasPointerDefault(field) ? ", " + defaultName(field) + ", 0" : "";
        w.open("public final boolean has%s()", cap).line("return !_pointerFieldIsNull(%d);", ptr).close();
        w.open("public final %s get%s()", javaType, cap)
                .line("return _getPointerField(%s, %d%s);", factory, ptr, def).close();
        if (!builder) {
            return;
        }
        if (any) {
            w.open("public final %sAnyPointer.Builder init%s()", RT, cap)
                    .line("%s%sAnyPointer.Builder value = _getPointerField(%sAnyPointer.factory, %d);",
                            setTag, RT, RT, ptr)
                    .line("value.clear();").line("return value;").close();
            return;
        }
        w.open("public final void set%s(%s value)", cap, types.reader(type))
                .line("%s_setPointerField(%s, %d, value);", setTag, factory, ptr).close();
        if (kind == TypeKind.STRUCT) {
            w.open("public final %s init%s()", javaType, cap)
                    .line("%sreturn _initPointerField(%s, %d, 0);", setTag, factory, ptr).close();
        } else {
            w.open("public final %s init%s(int size)", javaType, cap)
                    .line("%sreturn _initPointerField(%s, %d, size);", setTag, factory, ptr).close();
        }
    }

    /** Zeroes a group's fields, as initializing a union member that is a group must. */
    private void emitClearGroup(SourceWriter w, Node group) {
        for (Field field : group.fields()) {
            if (field.isGroup()) {
                emitClearGroup(w, nodes.get(field.groupTypeId()));
                continue;
            }
            TypeKind kind = field.type().kind();
            if (kind == TypeKind.VOID) {
                continue;
            }
            if (kind.isPointer()) {
                w.line("_clearPointerField(%d);", field.offset());
            } else {
                String zero = switch (kind) {
                    case BOOL -> "false";
                    case INT8, UINT8 -> "(byte) 0";
                    case INT16, UINT16, ENUM -> "(short) 0";
                    case INT32, UINT32 -> "0";
                    case INT64, UINT64 -> "0L";
                    case FLOAT32 -> "0f";
                    default -> "0d";
                };
                w.line("_set%sField(%d, %s);", JavaTypes.accessorStem(kind), field.offset(), zero);
            }
        }
    }

    /** The XOR mask encoding a non-zero default, or null when the default is zero. */
    private static String maskLiteral(Field field) {
        if (!field.hadExplicitDefault()) {
            return null;
        }
        Value v = field.defaultValue();
        return switch (field.type().kind()) {
            case BOOL -> v.bool() ? "true" : null;
            case INT8 -> nonZero(v.int8(), "(byte) " + v.int8());
            case UINT8 -> nonZero(v.uint8(), "(byte) " + v.uint8());
            case INT16 -> nonZero(v.int16(), "(short) " + v.int16());
            case UINT16 -> nonZero(v.uint16(), "(short) " + v.uint16());
            case ENUM -> nonZero(v.enumValue(), "(short) " + v.enumValue());
            case INT32 -> nonZero(v.int32(), Long.toString(v.int32()));
            case UINT32 -> nonZero(v.uint32(), "(int) " + v.uint32() + "L");
            case INT64, UINT64 -> nonZero(v.int64(), v.int64() + "L");
            case FLOAT32 -> nonZero(v.float32Bits(), "0x" + Integer.toHexString(v.float32Bits()));
            case FLOAT64 -> nonZero(v.float64Bits(), Literals.hex(v.float64Bits()));
            default -> null;
        };
    }

    private static String nonZero(long value, String literal) {
        return value == 0 ? null : literal;
    }

    private void emitPipeline(SourceWriter w, List<Field> fields) {
        w.open("public static final class Pipeline extends dev.procurator.capnp.rpc.Pipeline");
        w.open("public Pipeline(dev.procurator.capnp.rpc.PipelineHook hook, short[] path)")
                .line("super(hook, path);").close();
        for (Field field : fields) {
            String cap = NameTable.accessorName(field.name());
            if (field.isGroup()) {
                w.open("public final %s.Pipeline get%s()", names.qualified(field.groupTypeId()), cap)
                        .line("return new %s.Pipeline(hook, path);", names.qualified(field.groupTypeId())).close();
                continue;
            }
            Type type = field.type();
            if (type.kind() == TypeKind.INTERFACE) {
                String client = names.qualified(type.typeId()) + ".Client";
                w.open("public final %s get%s()", client, cap)
                        .line("return new %s(cap((short) %d));", client, field.offset()).close();
            } else if (type.kind() == TypeKind.STRUCT) {
                String struct = names.qualified(type.typeId());
                w.open("public final %s.Pipeline get%s()", struct, cap)
                        .line("return new %s.Pipeline(hook, path((short) %d));", struct, field.offset()).close();
            }
        }
        w.close();
    }
}
