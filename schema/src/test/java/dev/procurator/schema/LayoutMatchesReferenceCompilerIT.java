package dev.procurator.schema;

import dev.procurator.common.testing.RequiresTool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.capnproto.MessageBuilder;
import org.capnproto.StructFactory;
import org.junit.jupiter.api.Test;

/**
 * Checks ids, struct sizes and every field's position in the generated Java against what the
 * reference compiler prints ({@code capnp compile -ocapnp}): each field is set through the
 * generated builder and the bits that changed in the message must be exactly the field's
 * {@code bits[a, b)} or {@code ptr[n]} (plus the union tag for union members).
 */
@RequiresTool("capnp")
class LayoutMatchesReferenceCompilerIT {
    private static final Pattern TYPE = Pattern.compile(
            "^\\s*(struct|enum|interface) (\\w+) @0x([0-9a-f]+)(?: extends\\([^)]*\\))? \\{(?:\\s+# (\\d+) bytes, (\\d+) ptrs)?");
    private static final Pattern GROUP = Pattern.compile("^\\s*(\\w+) :group \\{");
    private static final Pattern UNION = Pattern.compile("^\\s*union \\{\\s+# tag bits \\[(\\d+), (\\d+)\\)");
    private static final Pattern FIELD = Pattern.compile(
            "^\\s*(\\w+) @\\d+ :([^;=]+?)(?: = [^;]*)?;\\s+# (?:bits\\[(\\d+), (\\d+)\\)|ptr\\[(\\d+)\\])(, union tag = \\d+)?");

    /** One open brace of the -ocapnp output: a type, a group or a union. */
    private record Scope(String kind, String javaClass, int tagStart, int tagEnd, boolean inUnion,
                         String[] groupPath) {
    }

    private int checkedFields;
    private int checkedTypes;

    @Test
    void idsSizesAndFieldOffsetsMatch() throws Exception {
        for (String file : SchemaFiles.FILES) {
            String outer = switch (file) {
                case "common.capnp" -> "dev.procurator.schema.Common";
                case "worker.capnp" -> "dev.procurator.schema.WorkerRpc";
                default -> "dev.procurator.schema.MasterRpc";
            };
            String text = new String(SchemaFiles.capnpCompile("capnp", file), StandardCharsets.UTF_8);
            check(outer, text);
        }
        assertTrue(checkedTypes >= 24, "types checked: " + checkedTypes);
        assertTrue(checkedFields >= 100, "fields checked: " + checkedFields);
    }

    private void check(String outer, String text) throws Exception {
        Deque<Scope> scopes = new ArrayDeque<>();
        String rootStruct = null;
        for (String line : text.split("\n")) {
            Matcher m;
            if ((m = TYPE.matcher(line)).find()) {
                String parent = scopes.isEmpty() ? outer : scopes.peek().javaClass();
                String javaClass = parent + "$" + m.group(2);
                Class<?> type = Class.forName(javaClass);
                long id = Long.parseUnsignedLong(m.group(3), 16);
                assertEquals(id, type.getField("TYPE_ID").getLong(null), javaClass + " id");
                if (m.group(1).equals("struct")) {
                    Object size = type.getField("STRUCT_SIZE").get(null);
                    assertEquals(Integer.parseInt(m.group(4)) / 8, ((org.capnproto.StructSize) size).data, javaClass);
                    assertEquals(Integer.parseInt(m.group(5)), ((org.capnproto.StructSize) size).pointers, javaClass);
                    rootStruct = javaClass;
                }
                checkedTypes++;
                scopes.push(new Scope(m.group(1), javaClass, -1, -1, false, new String[0]));
            } else if ((m = GROUP.matcher(line)).find()) {
                Scope parent = scopes.peek();
                boolean inUnion = parent.kind().equals("union");
                String[] path = append(parent.groupPath(), m.group(1));
                scopes.push(new Scope("group", parent.javaClass() + "$" + capitalize(m.group(1)),
                        parent.tagStart(), parent.tagEnd(), inUnion, path));
            } else if ((m = UNION.matcher(line)).find()) {
                Scope parent = scopes.peek();
                scopes.push(new Scope("union", parent.javaClass(), Integer.parseInt(m.group(1)),
                        Integer.parseInt(m.group(2)), false, parent.groupPath()));
            } else if ((m = FIELD.matcher(line)).find()) {
                Scope scope = scopes.peek();
                if (!scope.javaClass().contains("$") || scopes.stream().anyMatch(s -> s.kind().equals("interface"))) {
                    continue; // method params are printed inline, not as structs
                }
                boolean union = scope.kind().equals("union") || m.group(6) != null;
                Scope tagScope = union ? scopes.stream().filter(s -> s.kind().equals("union")).findFirst().orElseThrow()
                        : null;
                checkField(rootStruct, scope, m.group(1), m.group(2).trim(),
                        m.group(3) == null ? -1 : Integer.parseInt(m.group(3)),
                        m.group(4) == null ? -1 : Integer.parseInt(m.group(4)),
                        m.group(5) == null ? -1 : Integer.parseInt(m.group(5)), tagScope, scopes);
            } else if (line.trim().equals("}")) {
                scopes.pop();
            }
        }
    }

    private void checkField(String rootStruct, Scope scope, String name, String type, int bitStart, int bitEnd,
                            int pointer, Scope union, Deque<Scope> scopes) throws Exception {
        if (type.equals("Void") || type.startsWith("AnyPointer") || rootStruct == null) {
            return;
        }
        Class<?> root = Class.forName(rootStruct);
        StructFactory<?, ?> factory = (StructFactory<?, ?>) root.getField("factory").get(null);
        org.capnproto.StructSize size = (org.capnproto.StructSize) root.getField("STRUCT_SIZE").get(null);
        MessageBuilder message = new MessageBuilder();
        Object builder = message.initRoot(factory);
        // groups inside unions must be selected (initX) so their fields are the active member
        for (Scope s : scopes.reversed()) {
            if (s.kind().equals("group")) {
                String groupName = s.groupPath()[s.groupPath().length - 1];
                String accessor = (s.inUnion() ? "init" : "get") + capitalize(groupName);
                builder = builder.getClass().getMethod(accessor).invoke(builder);
            }
        }
        byte[] before = snapshot(message, size);
        set(builder, name, type);
        byte[] after = snapshot(message, size);
        BitSet changed = BitSet.valueOf(before);
        changed.xor(BitSet.valueOf(after));
        BitSet allowed = new BitSet();
        if (bitStart >= 0) {
            allowed.set(bitStart, bitEnd);
        } else {
            allowed.set(size.data * 64 + pointer * 64, size.data * 64 + pointer * 64 + 64);
        }
        BitSet own = (BitSet) changed.clone();
        own.and(allowed);
        String where = scope.javaClass() + "." + name;
        assertTrue(!own.isEmpty(), where + ": setting it changed nothing at its reference offset");
        if (union != null) {
            allowed.set(union.tagStart(), union.tagEnd());
        }
        BitSet stray = (BitSet) changed.clone();
        stray.andNot(allowed);
        assertTrue(stray.isEmpty(), where + ": setting it changed bits outside its reference offset: " + stray);
        checkedFields++;
    }

    /** The root struct's data and pointer sections: the struct starts right after the root pointer. */
    private static byte[] snapshot(MessageBuilder message, org.capnproto.StructSize size) {
        ByteBuffer segment = message.getSegmentsForOutput()[0];
        byte[] bytes = new byte[(size.data + size.pointers) * 8];
        segment.get(8, bytes);
        return bytes;
    }

    private static void set(Object builder, String name, String type) throws Exception {
        String cap = capitalize(name);
        Class<?> c = builder.getClass();
        switch (type) {
            case "Bool" -> {
                boolean current = (boolean) c.getMethod("get" + cap).invoke(builder);
                c.getMethod("set" + cap, boolean.class).invoke(builder, !current);
            }
            case "Int8", "UInt8" -> c.getMethod("set" + cap, byte.class).invoke(builder, (byte) 0x5a);
            case "Int16", "UInt16" -> c.getMethod("set" + cap, short.class).invoke(builder, (short) 0x5a5a);
            case "Int32", "UInt32" -> c.getMethod("set" + cap, int.class).invoke(builder, 0x5a5a5a5a);
            case "Int64", "UInt64" -> c.getMethod("set" + cap, long.class).invoke(builder, 0x5a5a5a5a5a5a5a5aL);
            case "Float32" -> c.getMethod("set" + cap, float.class).invoke(builder, 1234.5f);
            case "Float64" -> c.getMethod("set" + cap, double.class).invoke(builder, 1234.5);
            case "Text" -> c.getMethod("set" + cap, String.class).invoke(builder, "x");
            case "Data" -> c.getMethod("set" + cap, byte[].class).invoke(builder, (Object) new byte[] {1});
            default -> {
                if (type.startsWith("List(")) {
                    c.getMethod("init" + cap, int.class).invoke(builder, 1);
                } else if (hasMethod(c, "init" + cap)) {
                    c.getMethod("init" + cap).invoke(builder); // a struct
                } else {
                    // an enum: pick a value different from the current (default) one
                    Method getter = c.getMethod("get" + cap);
                    Object current = getter.invoke(builder);
                    Object[] values = getter.getReturnType().getEnumConstants();
                    Object other = values[0] == current ? values[1] : values[0];
                    c.getMethod("set" + cap, getter.getReturnType()).invoke(builder, other);
                }
            }
        }
    }

    private static boolean hasMethod(Class<?> c, String name) {
        for (Method m : c.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 0) {
                return true;
            }
        }
        return false;
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String[] append(String[] path, String name) {
        List<String> out = new ArrayList<>(List.of(path));
        out.add(name);
        return out.toArray(String[]::new);
    }

    @SuppressWarnings("unused")
    private static void unreachable() {
        fail();
    }
}
