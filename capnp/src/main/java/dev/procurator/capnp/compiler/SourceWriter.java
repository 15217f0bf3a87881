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

    /** Emits a schema doc comment as Javadoc (nothing when empty). */
    SourceWriter doc(String comment) {
        String text = comment == null ? "" : comment.strip();
        if (text.isEmpty()) {
            return this;
        }
        String safe = text.replace("*/", "*&#47;").replace("@", "{@literal @}");
        line("/**");
        for (String l : safe.split("\n")) {
            line((" * " + l).stripTrailing());
        }
        return line(" */");
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
