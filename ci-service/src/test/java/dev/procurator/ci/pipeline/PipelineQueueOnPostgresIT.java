package dev.procurator.ci.pipeline;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.procurator.common.testing.TestDatabase;

/** The shared queue on PostgreSQL. */
class PipelineQueueOnPostgresIT extends PipelineQueueContract {

    @RegisterExtension
    static final TestDatabase database = new TestDatabase();

    @BeforeAll
    static void startOnPostgres() {
        start(Map.of("spring.datasource.url", database.jdbcUrl(), "spring.datasource.username", database.username(),
                "spring.datasource.password", database.password()));
    }
}
