package dev.procurator.autonix.flake;

import java.util.regex.Pattern;

/** Nix literals: repository content ends up in the generated flake, so every string is escaped. */
final class Nix {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_'-]*");

    private Nix() {
    }

    /** A double-quoted Nix string; "${" would start an interpolation, so it is escaped too. */
    static String string(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '$' -> out.append(i + 1 < value.length() && value.charAt(i + 1) == '{' ? "\\$" : "$");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** An attribute name: bare when it is an identifier, quoted otherwise. */
    static String attribute(String name) {
        return IDENTIFIER.matcher(name).matches() && !isKeyword(name) ? name : string(name);
    }

    private static boolean isKeyword(String name) {
        return switch (name) {
            case "if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or" -> true;
            default -> false;
        };
    }
}
