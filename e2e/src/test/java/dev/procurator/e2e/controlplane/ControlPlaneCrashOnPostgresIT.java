package dev.procurator.e2e.controlplane;

import java.util.Map;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.procurator.common.testing.TestDatabase;

/** The control plane's crash safety on PostgreSQL. */
class ControlPlaneCrashOnPostgresIT extends ControlPlaneCrashContract {

    @RegisterExtension
    static final TestDatabase database = new TestDatabase();

    @Override
    Map<String, String> database() {
        return Map.of("PROCURATOR_DB_URL", database.jdbcUrl(), "PROCURATOR_DB_USER", database.username(),
                "PROCURATOR_DB_PASSWORD", database.password());
    }
}
