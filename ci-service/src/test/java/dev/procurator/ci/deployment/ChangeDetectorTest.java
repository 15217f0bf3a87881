package dev.procurator.ci.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ChangeDetectorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode blueprint(String json) {
        return JSON.readTree(json);
    }

    private static DeploymentArtifact previous(Map<String, String> closures, String blueprint) {
        return new DeploymentArtifact("alice/demo", "main", "c0ffee", blueprint(blueprint), new TreeMap<>(closures),
                List.of(), new Changes(List.of(), List.of(), List.of()), null, 1, "http://ci/pipelines/1",
                "http://cache/main", Instant.now());
    }

    @Test
    void theFirstDeploymentAddsEveryVm() {
        Changes changes = ChangeDetector.detect(null, Map.of("web", "/nix/store/a-web", "db", "/nix/store/a-db"),
                blueprint("{\"web\":{},\"db\":{}}"));
        assertThat(changes.added()).containsExactly("db", "web");
        assertThat(changes.changedVms()).containsExactly("db", "web");
        assertThat(changes.any()).isTrue();
    }

    @Test
    void nothingChangesWhenClosuresAndSpecsAreTheSame() {
        String spec = "{\"web\":{\"cpu\":1},\"db\":{\"cpu\":2}}";
        Changes changes = ChangeDetector.detect(previous(Map.of("web", "/nix/store/a-web", "db", "/nix/store/a-db"),
                spec), Map.of("web", "/nix/store/a-web", "db", "/nix/store/a-db"), blueprint(spec));
        assertThat(changes.any()).isFalse();
        assertThat(changes.changedVms()).isEmpty();
    }

    @Test
    void aNewClosureOrANewSpecChangesThatVmOnly() {
        DeploymentArtifact before = previous(Map.of("web", "/nix/store/a-web", "db", "/nix/store/a-db",
                "cache", "/nix/store/a-cache"), "{\"web\":{\"replicas\":1},\"db\":{},\"cache\":{\"replicas\":1}}");
        Changes changes = ChangeDetector.detect(before, Map.of("web", "/nix/store/b-web", "db", "/nix/store/a-db",
                "cache", "/nix/store/a-cache"),
                blueprint("{\"web\":{\"replicas\":1},\"db\":{},\"cache\":{\"replicas\":3}}"));
        assertThat(changes.changed()).containsExactly("cache", "web");
        assertThat(changes.added()).isEmpty();
        assertThat(changes.removed()).isEmpty();
    }

    @Test
    void addedAndRemovedVmsAreTold() {
        DeploymentArtifact before = previous(Map.of("web", "/nix/store/a-web", "old", "/nix/store/a-old"),
                "{\"web\":{},\"old\":{}}");
        Changes changes = ChangeDetector.detect(before, Map.of("web", "/nix/store/a-web", "new", "/nix/store/a-new"),
                blueprint("{\"web\":{},\"new\":{}}"));
        assertThat(changes.added()).containsExactly("new");
        assertThat(changes.removed()).containsExactly("old");
        assertThat(changes.changed()).isEmpty();
        assertThat(changes.changedVms()).containsExactly("new", "old");
    }
}
