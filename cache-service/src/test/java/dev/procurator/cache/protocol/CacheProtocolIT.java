package dev.procurator.cache.protocol;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.procurator.common.testing.TestDatabase;

/** The protocol on PostgreSQL: every database call is a round trip, so requests are served on virtual threads. */
class CacheProtocolIT extends CacheProtocolContract {

    @RegisterExtension
    static TestDatabase db = new TestDatabase();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        db.register(registry);
        // The database is dropped after the class, before the cached context closes at exit: its last statements
        // (the instance's stop, the eviction lock's release) then give up quickly instead of waiting 30 s each.
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
    }
}
