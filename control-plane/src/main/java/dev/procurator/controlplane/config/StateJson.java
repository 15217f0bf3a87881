package dev.procurator.controlplane.config;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import dev.procurator.schema.blueprint.Blueprint;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The JSON columns of the control plane's tables: blueprints, VM specs, closures and label lists. */
@Component
public class StateJson {

    private static final TypeReference<TreeMap<String, Blueprint.Vm>> BLUEPRINT = new TypeReference<>() { };
    private static final TypeReference<TreeMap<String, String>> CLOSURES = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private final ObjectMapper json;

    StateJson(ObjectMapper json) {
        this.json = json;
    }

    public String write(Object value) {
        return json.writeValueAsString(value);
    }

    public SortedMap<String, Blueprint.Vm> blueprint(String text) {
        return json.readValue(text, BLUEPRINT);
    }

    public Map<String, String> closures(String text) {
        return json.readValue(text, CLOSURES);
    }

    public Blueprint.Vm vm(String text) {
        return text == null ? null : json.readValue(text, Blueprint.Vm.class);
    }

    public List<String> strings(String text) {
        return text == null ? List.of() : json.readValue(text, STRINGS);
    }

    public <T> T read(String text, Class<T> type) {
        return json.readValue(text, type);
    }
}
