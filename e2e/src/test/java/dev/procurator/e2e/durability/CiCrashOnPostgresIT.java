package dev.procurator.e2e.durability;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.procurator.common.testing.RequiresTool;
import dev.procurator.common.testing.TestDatabase;

/** CI crash safety on PostgreSQL. */
@RequiresTool({"nix", "git"})
class CiCrashOnPostgresIT extends CiCrashContract {

    @RegisterExtension
    static final TestDatabase database = new TestDatabase();

    @BeforeAll
    static void startOnPostgres() throws Exception {
        start(Map.of("PROCURATOR_DB_URL", database.jdbcUrl(), "PROCURATOR_DB_USER", database.username(),
                "PROCURATOR_DB_PASSWORD", database.password()));
    }
}
