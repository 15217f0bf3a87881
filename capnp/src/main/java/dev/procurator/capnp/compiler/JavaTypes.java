package dev.procurator.capnp.compiler;

import dev.procurator.capnp.compiler.SchemaModel.Type;
import dev.procurator.capnp.compiler.SchemaModel.TypeKind;

/** Java spellings of schema types on top of org.capnproto:runtime. */
final class JavaTypes {
    private static final String RT = "org.capnproto.";
    private final NameTable names;

    JavaTypes(NameTable names) {
        this.names = names;
    }

    /** The Java primitive used for a data-section field (unsigned types use the signed type of equal width). */
    static String primitive(TypeKind kind) {
        return switch (kind) {
            case BOOL -> "boolean";
            case INT8, UINT8 -> "byte";
            case INT16, UINT16 -> "short";
            case INT32, UINT32 -> "int";
            case INT64, UINT64 -> "long";
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            default -> throw new IllegalArgumentException(kind + " is not a primitive");
        };
    }

    /** The runtime's accessor stem: {@code _get<Stem>Field}. */
    static String accessorStem(TypeKind kind) {
        return switch (kind) {
            case BOOL -> "Boolean";
            case INT8, UINT8 -> "Byte";
            case INT16, UINT16, ENUM -> "Short";
            case INT32, UINT32 -> "Int";
            case INT64, UINT64 -> "Long";
            case FLOAT32 -> "Float";
            case FLOAT64 -> "Double";
            default -> throw new IllegalArgumentException(kind + " has no data accessor");
        };
    }

    /** Width in bits of a data-section field; offsets in schema.capnp are in units of this width. */
    static int bits(TypeKind kind) {
        return switch (kind) {
            case VOID -> 0;
            case BOOL -> 1;
            case INT8, UINT8 -> 8;
            case INT16, UINT16, ENUM -> 16;
            case INT32, UINT32, FLOAT32 -> 32;
            case INT64, UINT64, FLOAT64 -> 64;
            default -> throw new IllegalArgumentException(kind + " is a pointer");
        };
    }

    private static String primitiveList(TypeKind kind) {
        return RT + "PrimitiveList." + switch (kind) {
            case VOID -> "Void";
            case BOOL -> "Boolean";
            case INT8, UINT8 -> "Byte";
            case INT16, UINT16 -> "Short";
            case INT32, UINT32 -> "Int";
            case INT64, UINT64 -> "Long";
            case FLOAT32 -> "Float";
            case FLOAT64 -> "Double";
            default -> throw new IllegalArgumentException(kind + " is not a primitive");
        };
    }

    /** True for list element types the runtime has no list class for (interfaces): accessed as AnyPointer. */
    static boolean isOpaqueList(Type listType) {
        TypeKind element = listType.elementType().kind();
        return element == TypeKind.INTERFACE || element == TypeKind.ANY_POINTER
                || element == TypeKind.LIST && isOpaqueList(listType.elementType());
    }

    String reader(Type type) {
        return switch (type.kind()) {
            case TEXT -> RT + "Text.Reader";
            case DATA -> RT + "Data.Reader";
            case STRUCT -> names.qualified(type.typeId()) + ".Reader";
            case ENUM -> names.qualified(type.typeId());
            case INTERFACE -> names.qualified(type.typeId()) + ".Client";
            case ANY_POINTER -> RT + "AnyPointer.Reader";
            case LIST -> listReader(type.elementType());
            default -> primitive(type.kind());
        };
    }

    String builder(Type type) {
        return switch (type.kind()) {
            case TEXT -> RT + "Text.Builder";
            case DATA -> RT + "Data.Builder";
            case STRUCT -> names.qualified(type.typeId()) + ".Builder";
            case ENUM -> names.qualified(type.typeId());
            case INTERFACE -> names.qualified(type.typeId()) + ".Client";
            case ANY_POINTER -> RT + "AnyPointer.Builder";
            case LIST -> listBuilder(type.elementType());
            default -> primitive(type.kind());
        };
    }

    private String listReader(Type element) {
        return switch (element.kind()) {
            case TEXT -> RT + "TextList.Reader";
            case DATA -> RT + "DataList.Reader";
            case STRUCT -> RT + "StructList.Reader<" + names.qualified(element.typeId()) + ".Reader>";
            case ENUM -> RT + "EnumList.Reader<" + names.qualified(element.typeId()) + ">";
            case LIST -> RT + "ListList.Reader<" + listReader(element.elementType()) + ">";
            case INTERFACE, ANY_POINTER -> throw new IllegalArgumentException("opaque list");
            default -> primitiveList(element.kind()) + ".Reader";
        };
    }

    private String listBuilder(Type element) {
        return switch (element.kind()) {
            case TEXT -> RT + "TextList.Builder";
            case DATA -> RT + "DataList.Builder";
            case STRUCT -> RT + "StructList.Builder<" + names.qualified(element.typeId()) + ".Builder>";
            case ENUM -> RT + "EnumList.Builder<" + names.qualified(element.typeId()) + ">";
            case LIST -> RT + "ListList.Builder<" + listBuilder(element.elementType()) + ">";
            case INTERFACE, ANY_POINTER -> throw new IllegalArgumentException("opaque list");
            default -> primitiveList(element.kind()) + ".Builder";
        };
    }

    /** An expression for the runtime factory of a pointer type. */
    String factory(Type type) {
        return switch (type.kind()) {
            case TEXT -> RT + "Text.factory";
            case DATA -> RT + "Data.factory";
            case STRUCT -> names.qualified(type.typeId()) + ".factory";
            case ANY_POINTER -> RT + "AnyPointer.factory";
            case LIST -> listFactory(type.elementType());
            default -> throw new IllegalArgumentException(type.kind() + " has no pointer factory");
        };
    }

    private String listFactory(Type element) {
        return switch (element.kind()) {
            case TEXT -> RT + "TextList.factory";
            case DATA -> RT + "DataList.factory";
            case STRUCT -> names.qualified(element.typeId()) + ".listFactory";
            case ENUM -> "new " + RT + "EnumList.Factory<" + names.qualified(element.typeId()) + ">("
                    + names.qualified(element.typeId()) + ".values())";
            case LIST -> "new " + RT + "ListList.Factory<" + listBuilder(element.elementType()) + ", "
                    + listReader(element.elementType()) + ">(" + listFactory(element.elementType()) + ")";
            case INTERFACE, ANY_POINTER -> throw new IllegalArgumentException("opaque list");
            default -> primitiveList(element.kind()) + ".factory";
        };
    }
}
