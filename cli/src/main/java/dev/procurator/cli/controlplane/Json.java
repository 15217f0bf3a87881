package dev.procurator.cli.controlplane;

import java.io.PrintWriter;

import tools.jackson.databind.JsonNode;

/** {@code --json}: the API's answer as it came, indented, for scripts ({@code jq}). */
final class Json {

    private Json() {
    }

    static void print(PrintWriter out, JsonNode node) {
        out.println(node.toPrettyString());
        out.flush();
    }
}
