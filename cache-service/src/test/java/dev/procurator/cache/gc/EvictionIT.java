package dev.procurator.cache.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.path.PathService;
import dev.procurator.cache.support.CacheClient;
import dev.procurator.cache.support.TestNar;

/**
 * Size limits, LRU eviction, GC roots and per-cache metrics, against the embedded H2 database: eviction never leaves
 * a narinfo whose NAR or references are gone, and a pinned closure is never evicted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EvictionIT {

    static final String ADMIN = "eviction-admin";
    static final int SIZE = 10_000;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("procurator.data-dir", () -> dataDir.toString());
        registry.add("procurator.admin-token", () -> ADMIN);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PathService paths;

    CacheClient client;

    @BeforeEach
    void client() {
        client = new CacheClient(port);
    }

    TestNar nar(String name, String... refs) {
        byte[] bytes = new byte[SIZE];
        new Random(name.hashCode()).nextBytes(bytes);
        return TestNar.of(TestNar.randomHash(), name, new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1),
                Compression.NONE, refs);
    }

    boolean present(String cache, TestNar nar) {
        return client.get("/" + cache + "/" + nar.hash() + ".narinfo", null).statusCode() == 200;
    }

    boolean narPresent(String cache, TestNar nar) {
        return client.send("HEAD", "/" + cache + "/nar/" + nar.fileName(), null, null, null).statusCode() == 200;
    }

    void create(String cache) {
        assertThat(client.json("POST", "/api/v1/caches", "{\"name\":\"" + cache + "\"}", ADMIN).statusCode())
                .isEqualTo(201);
    }

    void limit(String cache, long bytes) {
        var response = client.json("PATCH", "/api/v1/caches/" + cache, "{\"maxSizeBytes\":" + bytes + "}", ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    String gc(String cache) {
        var response = client.json("POST", "/api/v1/caches/" + cache + "/gc", null, ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void evictsLeastRecentlyUsedLeavesFirstAndKeepsPinnedClosures() throws Exception {
        create("small");
        TestNar base = nar("base");
        TestNar lib = nar("lib", base.baseName());
        TestNar app1 = nar("app1", lib.baseName(), base.baseName());
        TestNar app2 = nar("app2", base.baseName());
        TestNar old = nar("old");
        TestNar recent = nar("recent");
        for (TestNar n : List.of(base, lib, app1, app2, old, recent)) {
            assertThat(client.push("small", n, ADMIN)).isEqualTo(201);
            Thread.sleep(5); // distinct access times
        }
        var pin = client.json("POST", "/api/v1/caches/small/pins",
                "{\"name\":\"vm-web\",\"storePath\":\"" + app1.storePath() + "\"}", ADMIN);
        assertThat(pin.statusCode()).as(pin.body()).isEqualTo(201);
        Thread.sleep(5);
        assertThat(present("small", old)).isTrue(); // a read refreshes old: it is now more recent than app2
        assertThat(present("small", recent)).isTrue();

        long each = old.file().length;
        limit("small", 4 * each);
        String result = gc("small");
        assertThat(result).contains("\"evictedPaths\":2");
        // app2 was least recently used among the unreferenced, unpinned paths; then old (read after app2's push,
        // but before recent).
        assertThat(present("small", app2)).isFalse();
        assertThat(narPresent("small", app2)).as("its NAR goes with it").isFalse();
        assertThat(present("small", old)).isFalse();
        assertThat(List.of(base, lib, app1, recent)).allMatch(n -> present("small", n) && narPresent("small", n));

        // Down to zero, only the pinned closure stays; unpinned, it all goes, leaves first.
        limit("small", 1);
        gc("small");
        assertThat(present("small", recent)).isFalse();
        assertThat(List.of(base, lib, app1)).allMatch(n -> present("small", n));
        assertThat(client.send("DELETE", "/api/v1/caches/small/pins/vm-web", null, null, ADMIN).statusCode())
                .isEqualTo(204);
        gc("small");
        assertThat(List.of(base, lib, app1)).noneMatch(n -> present("small", n) || narPresent("small", n));
        assertThat(client.get("/api/v1/caches/small", ADMIN).body()).contains("\"usageBytes\":0");

        String metrics = client.get("/actuator/prometheus", null).body();
        assertThat(metrics).containsPattern("procurator_cache_evictions_total\\{cache=\"small\"[^}]*\\} 6\\.0");
        assertThat(metrics).containsPattern("procurator_cache_uploads_total\\{cache=\"small\"[^}]*\\} 6\\.0");
        assertThat(metrics).containsPattern("procurator_cache_hits_total\\{cache=\"small\"");
        assertThat(metrics).containsPattern("procurator_cache_misses_total\\{cache=\"small\"");
        long stored = List.of(base, lib, app1, app2, old, recent).stream().mapToLong(n -> n.file().length).sum();
        assertThat(metrics).containsPattern("procurator_cache_stored_bytes_total\\{cache=\"small\"[^}]*\\} "
                + stored + "\\.0");
    }

    /**
     * A NAR file an eviction marked for deletion, left marked by a crash before its file went: not served, an upload of
     * the same file is refused rather than stored under a name being deleted, and the next run deletes it.
     */
    @Test
    void aFileMarkedForDeletionIsNotServedNorOverwrittenAndTheNextRunDeletesIt() {
        create("marked");
        TestNar nar = nar("marked");
        String upload = "/marked/nar/" + nar.fileName();
        assertThat(client.send("PUT", upload, nar.file(), "application/x-nix-nar", ADMIN).statusCode()).isEqualTo(201);
        long cacheId = jdbc.queryForObject("SELECT id FROM binary_cache WHERE name = 'marked'", Long.class);
        jdbc.update("UPDATE nar_file SET deleting = TRUE WHERE cache_id = ?", cacheId);
        paths.forget(cacheId, null, nar.fileName()); // as after a restart: nothing in memory
        Path file = dataDir.resolve("nar/marked/" + nar.fileName());
        assertThat(file).exists();

        assertThat(narPresent("marked", nar)).isFalse();
        var again = client.send("PUT", upload, nar.file(), "application/x-nix-nar", ADMIN);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(again.body()).contains("concurrent_change");

        gc("marked");
        assertThat(file).doesNotExist();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM nar_file WHERE cache_id = ?", Long.class, cacheId))
                .isZero();
        assertThat(client.send("PUT", upload, nar.file(), "application/x-nix-nar", ADMIN).statusCode()).isEqualTo(201);
        assertThat(file).exists();
        assertThat(narPresent("marked", nar)).isTrue();
    }

    @Test
    void pinsKeepTheLastNPerName() {
        create("pins");
        TestNar gen1 = nar("gen1");
        TestNar gen2 = nar("gen2");
        TestNar gen3 = nar("gen3");
        for (TestNar n : List.of(gen1, gen2, gen3)) {
            assertThat(client.push("pins", n, ADMIN)).isEqualTo(201);
            var pin = client.json("POST", "/api/v1/caches/pins/pins",
                    "{\"name\":\"vm-api\",\"storePath\":\"" + n.storePath() + "\",\"keep\":2}", ADMIN);
            assertThat(pin.statusCode()).as(pin.body()).isEqualTo(201);
        }
        String pins = client.get("/api/v1/caches/pins/pins", ADMIN).body();
        assertThat(pins).contains(gen2.storePath(), gen3.storePath()).doesNotContain(gen1.storePath());
        assertThat(client.json("POST", "/api/v1/caches/pins/pins",
                "{\"name\":\"vm-api\",\"storePath\":\"/nix/store/" + TestNar.randomHash() + "-missing\"}", ADMIN)
                .statusCode()).isEqualTo(404);
        assertThat(client.json("POST", "/api/v1/caches/pins/pins",
                "{\"name\":\"bad name!\",\"storePath\":\"" + gen1.storePath() + "\"}", ADMIN).statusCode())
                .isEqualTo(400);

        limit("pins", 1);
        gc("pins");
        assertThat(present("pins", gen1)).isFalse();
        assertThat(present("pins", gen2)).isTrue();
        assertThat(present("pins", gen3)).isTrue();
    }
}
