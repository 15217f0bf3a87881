package dev.procurator.cache.binarycache;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.procurator.cache.CacheProperties;
import dev.procurator.cache.nix.SigningKey;
import dev.procurator.common.error.ApiException;

/**
 * The caches by name, kept in memory (they are few and read on every request) and read again every second, so that a
 * change made through another instance (access, size limit) holds here within a second. Creates {@code main} on first
 * start, with its key, so a fresh install serves a signed cache at once.
 */
@Component
public class CacheRegistry {

    public static final String DEFAULT_CACHE = "main";

    private static final Logger log = LoggerFactory.getLogger(CacheRegistry.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** First path segments the service uses itself: a cache cannot be named after them. */
    private static final Set<String> RESERVED = Set.of("api", "actuator", "procurator", "system", "error", "login",
            "static", "assets", "favicon.ico", "dashboard", "search", "paths", "closure", "nar");

    private final BinaryCacheStore repository;
    private final TransactionTemplate transactions;
    private final CacheProperties properties;
    private final Map<String, CacheRef> byName = new ConcurrentHashMap<>();

    public CacheRegistry(BinaryCacheStore repository, TransactionTemplate transactions, CacheProperties properties) {
        this.repository = repository;
        this.transactions = transactions;
        this.properties = properties;
        reload();
        if (find(DEFAULT_CACHE).isEmpty()) {
            try {
                create(DEFAULT_CACHE, true, properties.defaultMaxSize().toBytes());
            } catch (ApiException | DataIntegrityViolationException e) {
                reload(); // another instance created it first
            }
        }
    }

    public Optional<CacheRef> find(String name) {
        CacheRef ref = byName.get(name);
        if (ref == null) {
            // Another instance may have created it since: one lookup, then remembered.
            ref = repository.findByName(name).map(CacheRef::of).orElse(null);
            if (ref != null) {
                byName.put(name, ref);
            }
        }
        return Optional.ofNullable(ref);
    }

    public CacheRef require(String name) {
        return find(name).orElseThrow(() -> ApiException.notFound("No cache named '" + name + "'."));
    }

    public List<CacheRef> all() {
        reload();
        return byName.values().stream().sorted(Comparator.comparing(CacheRef::name)).toList();
    }

    /** The cache as the database has it now. */
    public CacheRef reload(String name) {
        CacheRef ref = repository.findByName(name).map(CacheRef::of)
                .orElseThrow(() -> ApiException.notFound("No cache named '" + name + "'."));
        byName.put(name, ref);
        return ref;
    }

    public CacheRef create(String name, boolean publicRead, long maxSizeBytes) {
        validateName(name);
        if (maxSizeBytes < 0) {
            throw ApiException.badRequest("invalid_size", "maxSizeBytes cannot be negative.");
        }
        SigningKey key = SigningKey.generate(properties.keyNamePrefix() + "-" + name + "-1");
        BinaryCache saved = transactions.execute(tx -> {
            if (repository.findByName(name).isPresent()) {
                throw ApiException.conflict("cache_exists", "A cache named '" + name + "' already exists.");
            }
            return repository.saveAndFlush(new BinaryCache(name, publicRead, maxSizeBytes, key.secretText(),
                    key.publicText()));
        });
        CacheRef ref = CacheRef.of(saved);
        byName.put(name, ref);
        log.info("Created cache {} (public={}, maxSizeBytes={}, key={})", name, publicRead, maxSizeBytes, key.name());
        return ref;
    }

    public CacheRef update(String name, Boolean publicRead, Long maxSizeBytes) {
        if (maxSizeBytes != null && maxSizeBytes < 0) {
            throw ApiException.badRequest("invalid_size", "maxSizeBytes cannot be negative.");
        }
        BinaryCache saved = transactions.execute(tx -> {
            BinaryCache cache = repository.findByName(name)
                    .orElseThrow(() -> ApiException.notFound("No cache named '" + name + "'."));
            if (publicRead != null) {
                cache.setPublicRead(publicRead);
            }
            if (maxSizeBytes != null) {
                cache.setMaxSizeBytes(maxSizeBytes);
            }
            return repository.saveAndFlush(cache);
        });
        CacheRef ref = CacheRef.of(saved);
        byName.put(name, ref);
        log.info("Updated cache {} (public={}, maxSizeBytes={})", name, ref.publicRead(), ref.maxSizeBytes());
        return ref;
    }

    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches() && !RESERVED.contains(name);
    }

    private static void validateName(String name) {
        if (name == null || !isValidName(name)) {
            throw ApiException.badRequest("invalid_name", "A cache name is 1-63 characters of a-z, 0-9, '-' and '_', "
                    + "starting with a letter or digit, and not one of " + RESERVED + ".");
        }
    }

    private void reload() {
        for (BinaryCache cache : repository.findAllByOrderByNameAsc()) {
            CacheRef known = byName.get(cache.getName());
            if (known == null || !known.describes(cache)) { // a key is parsed only for a new or changed cache
                byName.put(cache.getName(), CacheRef.of(cache));
            }
        }
    }

    /** Every second: a change made through another instance holds here within a second. */
    @Scheduled(fixedDelay = 1, initialDelay = 1, timeUnit = TimeUnit.SECONDS)
    void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            log.warn("Reading the caches failed, will retry: {}", e.getMessage());
        }
    }
}
