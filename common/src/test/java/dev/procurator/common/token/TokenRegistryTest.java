package dev.procurator.common.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.procurator.common.auth.Tokens;

class TokenRegistryTest {

    static final class TestToken extends StoredToken {
        TestToken(String hash, Instant expiresAt) {
            super("test", hash, List.of("read", "write"), expiresAt);
        }
    }

    /** The store as a map, counting the database calls the registry makes. */
    static final class Store {
        final Map<String, TestToken> byHash = new HashMap<>();
        final List<String> calls = new ArrayList<>();

        @SuppressWarnings("unchecked")
        StoredTokenStore<TestToken> proxy() {
            return (StoredTokenStore<TestToken>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {StoredTokenStore.class}, (p, method, args) -> {
                        calls.add(method.getName());
                        return switch (method.getName()) {
                            case "findByTokenHash" -> Optional.ofNullable(byHash.get((String) args[0]));
                            case "saveAndFlush" -> {
                                TestToken t = (TestToken) args[0];
                                byHash.put(t.tokenHash(), t);
                                yield t;
                            }
                            case "touch" -> 1;
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    });
        }

        long count(String call) {
            return calls.stream().filter(call::equals).count();
        }
    }

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-05T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final Store store = new Store();
    final MovableClock clock = new MovableClock();
    final TokenRegistry<TestToken> registry = new TokenRegistry<>(store.proxy(), Runnable::run, clock);

    @Test
    void issuesASecretShownOnceAndStoresOnlyItsHash() {
        var issued = registry.issue(hash -> new TestToken(hash, null));
        assertThat(issued.secret()).startsWith(Tokens.PREFIX);
        assertThat(issued.token().tokenHash()).isEqualTo(Tokens.hash(issued.secret())).doesNotContain(issued.secret());
        assertThat(issued.token().scopes()).isEqualTo(Set.of("read", "write"));
        assertThat(registry.lookup(issued.secret())).contains(issued.token());
        assertThat(registry.lookup(issued.secret() + "x")).isEmpty();
        assertThat(registry.lookup("not-a-procurator-token")).isEmpty();
    }

    @Test
    void lookupsAreCachedAndUseIsRecordedAtMostOnceAMinute() {
        String secret = registry.issue(hash -> new TestToken(hash, null)).secret();
        for (int i = 0; i < 5; i++) {
            assertThat(registry.lookup(secret)).isPresent();
        }
        assertThat(store.count("findByTokenHash")).isEqualTo(1);
        assertThat(store.count("touch")).isEqualTo(1);
        clock.now = clock.now.plus(Duration.ofSeconds(61));
        assertThat(registry.lookup(secret).orElseThrow().lastUsedAt()).isEqualTo(clock.now);
        assertThat(store.count("touch")).isEqualTo(2);
    }

    @Test
    void aRevokedTokenIsRefusedAtOnceThoughItsLookupWasCached() {
        var issued = registry.issue(hash -> new TestToken(hash, null));
        assertThat(registry.lookup(issued.secret())).isPresent();
        TestToken revoked = registry.revoke(issued.token());
        assertThat(revoked.revokedAt()).isEqualTo(clock.now);
        assertThat(registry.lookup(issued.secret())).isEmpty();
        clock.now = clock.now.plusSeconds(5);
        assertThat(registry.revoke(revoked).revokedAt()).as("revoking twice keeps the first time")
                .isEqualTo(clock.now.minusSeconds(5));
    }

    @Test
    void anExpiredTokenIsRefusedEvenFromTheCache() {
        String secret = registry.issue(hash -> new TestToken(hash, clock.now.plusSeconds(3))).secret();
        assertThat(registry.lookup(secret)).isPresent();
        clock.now = clock.now.plusSeconds(3);
        assertThat(registry.lookup(secret)).isEmpty();
        assertThat(store.count("findByTokenHash")).isEqualTo(1);
    }
}
