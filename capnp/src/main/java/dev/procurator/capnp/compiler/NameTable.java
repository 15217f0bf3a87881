package dev.procurator.capnp.compiler;

import dev.procurator.capnp.compiler.SchemaModel.Field;
import dev.procurator.capnp.compiler.SchemaModel.Method;
import dev.procurator.capnp.compiler.SchemaModel.NestedNode;
import dev.procurator.capnp.compiler.SchemaModel.Node;
import dev.procurator.capnp.compiler.SchemaModel.NodeKind;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Assigns every schema node its Java name: {@code package.Outer.Nested.Name}. Files map to an outer
 * class, nested declarations to nested classes, groups to a class named after the field, and the
 * implicit parameter/result structs of a method to {@code <Method>Params}/{@code <Method>Results}.
 */
final class NameTable {
    /** Annotation ids from java.capnp (the same ids as capnproto-java's, so its schemas keep working). */
    static final long JAVA_PACKAGE = 0x9ee4c8f803b3b596L;
    static final long JAVA_OUTER_CLASSNAME = 0x9b066bb4881f7cd3L;
    private static final Set<String> RESERVED = Set.of("Reader", "Builder", "Factory", "Which", "Pipeline",
            "Client", "Server");

    private final Map<Long, Node> nodes;
    private final Map<Long, String> qualified = new HashMap<>();
    private final Map<Long, String> simple = new HashMap<>();
    private final Map<Long, Long> fileOf = new HashMap<>();
    private final String defaultPackage;

    NameTable(Map<Long, Node> nodes, String defaultPackage) {
        this.nodes = nodes;
        this.defaultPackage = defaultPackage;
        for (Node node : nodes.values()) {
            if (node.kind() == NodeKind.FILE) {
                String pkg = packageOf(node);
                String outer = outerClassOf(node);
                qualified.put(node.id(), pkg.isEmpty() ? outer : pkg + "." + outer);
                simple.put(node.id(), outer);
                fileOf.put(node.id(), node.id());
                nameChildren(node, node.id());
            }
        }
    }

    private void nameChildren(Node parent, long file) {
        String parentName = qualified.get(parent.id());
        for (NestedNode nested : parent.nestedNodes()) {
            assign(nested.id(), parentName, nested.name(), file);
        }
        if (parent.kind() == NodeKind.STRUCT) {
            for (Field field : parent.fields()) {
                if (field.isGroup()) {
                    assign(field.groupTypeId(), parentName, capitalize(field.name()), file);
                }
            }
        }
        if (parent.kind() == NodeKind.INTERFACE) {
            for (Method method : parent.methods()) {
                assignImplicit(method.paramStructType(), parentName, capitalize(method.name()) + "Params", file);
                assignImplicit(method.resultStructType(), parentName, capitalize(method.name()) + "Results", file);
            }
        }
    }

    private void assignImplicit(long id, String parentName, String name, long file) {
        Node node = nodes.get(id);
        // a method may name an ordinary struct as its params; only the compiler's implicit ones are nested
        if (node != null && !qualified.containsKey(id) && node.scopeId() == 0) {
            assign(id, parentName, name, file);
        }
    }

    private void assign(long id, String parentName, String name, long file) {
        Node node = nodes.get(id);
        if (node == null || qualified.containsKey(id)) {
            return;
        }
        String javaName = RESERVED.contains(name) ? name + "_" : name;
        qualified.put(id, parentName + "." + javaName);
        simple.put(id, javaName);
        fileOf.put(id, file);
        nameChildren(node, file);
    }

    String qualified(long id) {
        String name = qualified.get(id);
        if (name == null) {
            throw new IllegalStateException("no Java name for node " + Literals.hex(id));
        }
        return name;
    }

    String simple(long id) {
        return simple.get(id);
    }

    boolean isNamed(long id) {
        return qualified.containsKey(id);
    }

    String packageOf(Node file) {
        String annotated = annotationText(file, JAVA_PACKAGE);
        return annotated != null ? annotated : defaultPackage;
    }

    String outerClassOf(Node file) {
        String annotated = annotationText(file, JAVA_OUTER_CLASSNAME);
        if (annotated != null) {
            return annotated;
        }
        String path = file.displayName();
        String stem = path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.capnp$", "");
        StringBuilder out = new StringBuilder();
        for (String part : stem.split("[^A-Za-z0-9]+")) {
            out.append(capitalize(part));
        }
        return out.toString();
    }

    private static String annotationText(Node node, long id) {
        return node.annotations().stream().filter(a -> a.id() == id).map(a -> a.value().text()).findFirst()
                .orElse(null);
    }

    private static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte",
            "case", "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum",
            "extends", "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "record", "yield");
    /** Names that would clash with final methods of java.lang.Object or the generated base classes. */
    private static final Set<String> TAKEN_METHODS = Set.of("wait", "getClass", "hashCode", "equals", "toString",
            "clone", "finalize", "hook", "close", "whenResolved", "newRequest", "dispatch", "unimplemented");

    /** A Java method name for a schema method (keywords and clashing names get a trailing underscore). */
    static String methodName(String name) {
        return JAVA_KEYWORDS.contains(name) || TAKEN_METHODS.contains(name) ? name + "_" : name;
    }

    /** The accessor stem of a field: {@code getX}/{@code setX}; {@code Class} would hide Object.getClass(). */
    static String accessorName(String fieldName) {
        String cap = capitalize(fieldName);
        return cap.equals("Class") ? "Class_" : cap;
    }

    static String capitalize(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** {@code camelCase} to {@code CAMEL_CASE}, for enumerants and union tags. */
    static String constantCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}
