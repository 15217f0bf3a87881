package dev.procurator.autonix.build;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.procurator.autonix.scan.ParsedFiles;
import tools.jackson.databind.JsonNode;

/** The "scripts" of a package.json; an unreadable or malformed file simply has none (ParsedFiles warned). */
public record NodeScripts(String packageName, Map<String, String> scripts) {

    /** What `npm init` writes: a placeholder, not a test suite. */
    private static final String NPM_INIT_TEST = "no test specified";

    public static NodeScripts of(ParsedFiles files, String packageJson) {
        Optional<JsonNode> json = files.json(packageJson);
        Map<String, String> scripts = new LinkedHashMap<>();
        String name = null;
        if (json.isPresent() && json.get().isObject()) {
            JsonNode node = json.get();
            if (node.path("name").isString()) {
                name = node.path("name").asString();
            }
            JsonNode scriptsNode = node.path("scripts");
            if (scriptsNode.isObject()) {
                scriptsNode.properties().forEach(entry -> {
                    if (entry.getValue().isString()) {
                        scripts.put(entry.getKey(), entry.getValue().asString());
                    }
                });
            }
        } else if (json.isPresent()) {
            files.warnings().add(packageJson, "not a JSON object: scripts ignored");
        }
        return new NodeScripts(name, Map.copyOf(scripts));
    }

    public boolean has(String script) {
        String command = scripts.get(script);
        return command != null && !command.isBlank() && !command.contains(NPM_INIT_TEST);
    }

    public String get(String script) {
        return scripts.get(script);
    }
}
