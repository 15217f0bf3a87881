package dev.procurator.ci.pipeline;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;

/** The shared queue on the embedded H2 default. */
class PipelineQueueOnH2IT extends PipelineQueueContract {

    @BeforeAll
    static void startOnH2() {
        start(Map.of());
    }
}
