package dev.procurator.e2e.durability;

import java.util.Map;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.procurator.common.testing.TestDatabase;

/** The crash tests on PostgreSQL (a database of their own), as production runs the cache. */
class CacheCrashOnPostgresIT extends CacheCrashContract {

    @RegisterExtension
    static TestDatabase db = new TestDatabase();

    @Override
    Map<String, String> database() {
        return Map.of("PROCURATOR_DB_URL", db.jdbcUrl(), "PROCURATOR_DB_USER", db.username(),
                "PROCURATOR_DB_PASSWORD", db.password());
    }
}
