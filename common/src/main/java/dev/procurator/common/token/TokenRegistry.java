package dev.procurator.common.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.procurator.common.auth.Tokens;

/**
 * Issuing, looking up and revoking one kind of stored token, the same way in every service:
 * <ul>
 * <li><b>issue</b>: 256 random bits with the {@code pcr_} prefix ({@link Tokens#generate}); only the hash is
 * saved, the secret is returned once.</li>
 * <li><b>lookup</b>: by hash, through a small in-memory cache (clients such as Nix send the same token on hundreds
 * of requests); a token that is revoked or expired is refused, checked on every use, cached or not. Use is recorded
 * ({@code lastUsedAt}) at most once a minute per token, on the executor given, so that a lookup on an event loop
 * (the cache's Nix protocol) never waits for a database write.</li>
 * <li><b>revoke</b>: the row is kept with {@code revokedAt} set and the token leaves this instance's cache at once.
 * Another instance sharing the database may still accept it from its own cache for up to {@link #CACHE_TTL}.</li>
 * </ul>
 * A service makes one per token kind: {@code new TokenRegistry<>(store, applicationTaskExecutor)}.
 */
public class TokenRegistry<T extends StoredToken> {

    /** A token shown exactly once: the stored record and the secret itself. */
    public record Issued<T extends StoredToken>(T token, String secret) {
    }

    /** How long a lookup is remembered: bounds how late another instance sees a revocation. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(10);
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final StoredTokenStore<T> store;
    private final Executor touches;
    private final Clock clock;
    private final Cache<String, Optional<T>> recent = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(CACHE_TTL).executor(Runnable::run).build();

    /** @param touches where use is recorded: a managed executor, never the caller's (possibly event-loop) thread */
    public TokenRegistry(StoredTokenStore<T> store, Executor touches) {
        this(store, touches, Clock.systemUTC());
    }

    TokenRegistry(StoredTokenStore<T> store, Executor touches, Clock clock) {
        this.store = store;
        this.touches = touches;
        this.clock = clock;
    }

    /** Generates a secret and saves the token {@code build} makes from its hash (in the caller's transaction). */
    public Issued<T> issue(Function<String, T> build) {
        String secret = Tokens.generate();
        T token = store.saveAndFlush(build.apply(Tokens.hash(secret)));
        return new Issued<>(token, secret);
    }

    /** The active token behind a presented secret; empty for an unknown, revoked or expired one. */
    public Optional<T> lookup(String secret) {
        if (secret == null || !secret.startsWith(Tokens.PREFIX)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<T> token = recent.get(Tokens.hash(secret), store::findByTokenHash).filter(t -> t.activeAt(now));
        token.ifPresent(t -> {
            if (t.lastUsedAt() == null || t.lastUsedAt().isBefore(now.minus(TOUCH_EVERY))) {
                t.usedAt(now);
                touches.execute(() -> store.touch(t.id(), now));
            }
        });
        return token;
    }

    /** Revokes the token (idempotent) and forgets it here at once; returns it as stored. */
    public T revoke(T token) {
        if (!token.revoked()) {
            token.revokeAt(clock.instant());
            token = store.saveAndFlush(token);
        }
        recent.invalidate(token.tokenHash());
        return token;
    }
}
