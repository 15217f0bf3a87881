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
    }
}
