package dev.procurator.autonix.flake;

/** An indenting line writer for generated Nix (two spaces per level, as nixpkgs-fmt writes it). */
final class NixText {

    private final StringBuilder text = new StringBuilder();
    private int depth;

    void line(String line) {
        text.append("  ".repeat(depth)).append(line).append('\n');
    }

    void blank() {
        text.append('\n');
    }

    /** A line that opens a block: what follows is indented one more level. */
    void open(String line) {
        line(line);
        depth++;
    }

    /** A line that closes a block, at the enclosing level. */
    void close(String line) {
        depth--;
        line(line);
    }

    void indent() {
        depth++;
    }

    void dedent() {
        depth--;
    }

    /**
     * Verbatim lines, {@code extraLevels} deeper than the current level. Safe for Nix source without indented strings
     * ('' ... ''), whose content indentation would otherwise change.
     */
    void raw(String source, int extraLevels) {
        String indent = "  ".repeat(depth + extraLevels);
        source.lines().forEach(line -> text.append(line.isBlank() ? "" : indent + line).append('\n'));
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
