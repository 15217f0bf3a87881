package dev.procurator.capnp.compiler;

/** Accumulates Java source with indentation; {@code open}/{@code close} track braces. */
final class SourceWriter {
    private final StringBuilder out = new StringBuilder();
    private int depth;

    SourceWriter line(String text) {
        if (!text.isEmpty()) {
            out.append("    ".repeat(depth)).append(text);
        }
        out.append('\n');
        return this;
    }

    SourceWriter line(String format, Object... args) {
        return line(String.format(format, args));
    }

    SourceWriter open(String format, Object... args) {
        line(String.format(format, args) + " {");
        depth++;
        return this;
    }

    SourceWriter close() {
        depth--;
        return line("}");
    }

    SourceWriter blank() {
        out.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
