package dev.procurator.cache.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.nix.NixHash;
import dev.procurator.cache.support.CacheClient;
import dev.procurator.cache.support.KeepAliveConnection;
import dev.procurator.cache.support.TestNar;

/**
 * An eviction of a large cache while clients read narinfos and a push goes on, on the embedded database (where the
 * front serves the protocol on its event loops): reads are never held up by the eviction, whichever event loop their
 * connection is on. Prints the narinfo GETs' latencies during the eviction.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EvictionUnderTrafficIT {

    static final String ADMIN = "traffic-admin";
    static final String CACHE = "busy";
    static final int SEEDED_PATHS = 40_000;
    /** More connections than event loops (one per core), so that every loop serves some of each kind. */
    static final int READERS = 8;
    static final int PUSHERS = 4;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("procurator.data-dir", () -> dataDir.toString());
        registry.add("procurator.admin-token", () -> ADMIN);
        registry.add("procurator.cache.eviction-interval", () -> "1h"); // only the eviction the test starts
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    /** One request's start and end, {@link System#nanoTime()}. */
    record Sample(long start, long end) {
        long micros() {
            return (end - start) / 1000;
        }
    }

    @Test
    void narinfoReadsGoOnWhileALargeCacheIsEvictedDuringAPush() throws Exception {
        CacheClient client = new CacheClient(port);
        assertThat(client.json("POST", "/api/v1/caches", "{\"name\":\"" + CACHE + "\"}", ADMIN).statusCode())
                .isEqualTo(201);
        TestNar base = TestNar.of(TestNar.randomHash(), "base", "base", Compression.NONE);
        TestNar app = TestNar.of(TestNar.randomHash(), "app", "app", Compression.NONE, base.baseName());
        assertThat(client.push(CACHE, base, ADMIN)).isEqualTo(201);
        assertThat(client.push(CACHE, app, ADMIN)).isEqualTo(201);
        assertThat(client.json("POST", "/api/v1/caches/" + CACHE + "/pins",
                "{\"name\":\"kept\",\"storePath\":\"" + app.storePath() + "\"}", ADMIN).statusCode()).isEqualTo(201);
        seed(SEEDED_PATHS);
        assertThat(client.json("PATCH", "/api/v1/caches/" + CACHE, "{\"maxSizeBytes\":1}", ADMIN).statusCode())
                .isEqualTo(200);

        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<List<Sample>> reads = new ArrayList<>();
        List<Thread> traffic = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            List<Sample> samples = new ArrayList<>();
            reads.add(samples);
            traffic.add(Thread.ofPlatform().start(() -> loop(stop, failures, connection -> {
                long start = System.nanoTime();
                var response = connection.send("GET", "/" + CACHE + "/" + app.hash() + ".narinfo", null, null, null);
                samples.add(new Sample(start, System.nanoTime()));
                assertThat(response.status()).isEqualTo(200);
            })));
        }
        // The push's narinfo uploads: identical re-uploads of a pinned path, which take the same steps as new ones.
        byte[] narinfo = app.narinfo().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < PUSHERS; i++) {
            traffic.add(Thread.ofPlatform().start(() -> loop(stop, failures, connection -> assertThat(connection.send(
                    "PUT", "/" + CACHE + "/" + app.hash() + ".narinfo", "text/x-nix-narinfo", narinfo, ADMIN)
                    .status()).isEqualTo(200))));
        }
        Thread.sleep(1000);

        long evictionStart = System.nanoTime();
        var gc = client.json("POST", "/api/v1/caches/" + CACHE + "/gc", null, ADMIN);
        long evictionEnd = System.nanoTime();
        Thread.sleep(200);
        stop.set(true);
        for (Thread thread : traffic) {
            thread.join();
        }

        assertThat(failures).isEmpty();
        assertThat(gc.statusCode()).as(gc.body()).isEqualTo(200);
        assertThat(gc.body()).contains("\"evictedPaths\":" + SEEDED_PATHS);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM narinfo", Long.class)).isEqualTo(2);

        List<Long> during = new ArrayList<>();
        for (List<Sample> samples : reads) {
            samples.stream().filter(s -> s.start() >= evictionStart && s.start() < evictionEnd)
                    .forEach(s -> during.add(s.micros()));
        }
        Collections.sort(during);
        long evictionMicros = (evictionEnd - evictionStart) / 1000;
        System.out.printf("eviction of %d paths took %d ms; %d narinfo GETs during it: p50 %d us, p99 %d us, max %d us%n",
                SEEDED_PATHS, evictionMicros / 1000, during.size(), percentile(during, 50), percentile(during, 99),
                during.getLast());
        // A read that waited for the eviction shows as one taking about as long as the eviction itself.
        assertThat(during.getLast()).as("slowest narinfo GET during an eviction of %d ms, in us", evictionMicros / 1000)
                .isLessThan(evictionMicros / 2);
    }

    interface Step {
        void run(KeepAliveConnection connection) throws Exception;
    }

    private void loop(AtomicBoolean stop, List<Throwable> failures, Step step) {
        try (KeepAliveConnection connection = new KeepAliveConnection(port)) {
            while (!stop.get()) {
                step.run(connection);
            }
        } catch (Throwable e) {
            failures.add(e);
        }
    }

    private static long percentile(List<Long> sorted, int percent) {
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
    }

    /** Unreferenced, unpinned paths, written straight to the database: all of them are over the limit. */
    private void seed(int count) {
        long cacheId = jdbc.queryForObject("SELECT id FROM binary_cache WHERE name = ?", Long.class, CACHE);
        Random random = new Random(42);
        java.sql.Timestamp now = java.sql.Timestamp.from(Instant.now());
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] digest = new byte[32];
            random.nextBytes(digest);
            String hash = NixHash.format(digest);
            rows.add(new Object[] {cacheId, NixHash.digits(hash) + ".nar", hash, 1000L, hash, 1000L, now});
        }
        jdbc.batchUpdate("INSERT INTO nar_file (cache_id, file_name, compression, file_hash, file_size, nar_hash,"
                + " nar_size, created_at) VALUES (?, ?, 'none', ?, ?, ?, ?, ?)", rows);
        jdbc.update("INSERT INTO narinfo (cache_id, store_hash, store_path, nar_file_id, url, compression, file_hash,"
                + " file_size, nar_hash, nar_size, refs, created_at, last_access)"
                + " SELECT cache_id, SUBSTRING(file_name, 1, 32), CONCAT('/nix/store/', SUBSTRING(file_name, 1, 32),"
                + " '-seeded'), id, CONCAT('nar/', file_name), compression, file_hash, file_size, nar_hash, nar_size,"
                + " '', created_at, created_at FROM nar_file f WHERE cache_id = ? AND file_size = 1000"
                + " AND NOT EXISTS (SELECT 1 FROM narinfo n WHERE n.nar_file_id = f.id)", cacheId);
    }
}
