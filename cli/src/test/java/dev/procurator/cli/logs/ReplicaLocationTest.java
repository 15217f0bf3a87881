package dev.procurator.cli.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.procurator.cli.api.CliException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ReplicaLocationTest {

    private static final JsonNode CLUSTER = JsonMapper.builder().build().readTree("""
            {"workers": [{"id": "host-1", "apiUrl": "http://host-1:7450/"}, {"id": "host-2", "apiUrl": "http://host-2:7450"},
                         {"id": "host-3", "apiUrl": ""}],
             "vms": [{"name": "web", "replica": 2, "worker": "host-2"}, {"name": "web", "replica": 1, "worker": "host-1"},
                     {"name": "db", "replica": 0, "worker": "host-3"}, {"name": "new", "replica": 0, "worker": ""}]}
            """);

    @Test
    void findsTheWorkerOfAReplicaAndItsApi() {
        ReplicaLocation location = ReplicaLocation.find(CLUSTER, "web", 2);
        assertThat(location.agentUrl()).isEqualTo("http://host-2:7450");
        assertThat(location.replica()).isEqualTo(2);
        assertThat(location.note()).isNull();
    }

    @Test
    void withoutAReplicaIdTheLowestIsShownAndTheUserToldSo() {
        ReplicaLocation location = ReplicaLocation.find(CLUSTER, "web", null);
        assertThat(location.agentUrl()).isEqualTo("http://host-1:7450");
        assertThat(location.replica()).isEqualTo(1);
        assertThat(location.note()).isEqualTo("web has 2 replicas; showing replica 1 (on host-1)");
    }

    @Test
    void explainsWhatIsMissing() {
        assertThatThrownBy(() -> ReplicaLocation.find(CLUSTER, "cache", null)).isInstanceOf(CliException.class)
                .hasMessage("No VM named 'cache' runs in the cluster");
        assertThatThrownBy(() -> ReplicaLocation.find(CLUSTER, "web", 7))
                .hasMessage("VM 'web' has no replica 7 in the cluster");
        assertThatThrownBy(() -> ReplicaLocation.find(CLUSTER, "new", 0))
                .hasMessage("Replica 0 of 'new' is not placed on any worker yet");
        assertThatThrownBy(() -> ReplicaLocation.find(CLUSTER, "db", 0))
                .hasMessage("Worker 'host-3' running db.0 did not announce an API URL; use --agent <url>");
    }
}
