package dev.procurator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.support.CacheClient;
import dev.procurator.cache.support.S3ProxyServer;
import dev.procurator.cache.support.TestNar;
import dev.procurator.common.testing.TestDatabase;

/**
 * Two cache instances on one PostgreSQL database and one S3 bucket (s3proxy), as users run the cache once one machine
 * is not enough: a push through either is served by both, an eviction runs on one at a time, what one evicts the other
 * stops serving within seconds, and no closure is ever broken while one evicts and the other takes pushes.
 */
class TwoInstancesIT {

    static final String ADMIN = "two-instances-admin";
    static final String BUCKET = "shared";

    @RegisterExtension
    static TestDatabase db = new TestDatabase();

    @TempDir
    static Path dataDirs;

    static S3ProxyServer s3;
    static ConfigurableApplicationContext one;
    static ConfigurableApplicationContext two;
    static CacheClient first;
    static CacheClient second;

    @BeforeAll
    static void start() {
        s3 = S3ProxyServer.start();
        one = instance("one");
        two = instance("two");
        first = new CacheClient(port(one));
        second = new CacheClient(port(two));
    }

    @AfterAll
    static void stop() throws Exception {
        for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[] {one, two}) {
            if (instance != null) {
                instance.close();
            }
        }
        if (s3 != null) {
            s3.close();
        }
    }

    static ConfigurableApplicationContext instance(String name) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("procurator.data-dir", dataDirs.resolve(name).toString());
        properties.put("procurator.admin-token", ADMIN);
        properties.put("spring.datasource.url", db.jdbcUrl());
        properties.put("spring.datasource.username", db.username());
        properties.put("spring.datasource.password", db.password());
        properties.put("procurator.cache.eviction-interval", "1h"); // only the evictions the tests ask for
        properties.put("procurator.cache.storage.type", "s3");
        properties.put("procurator.cache.storage.endpoint", s3.endpoint());
        properties.put("procurator.cache.storage.bucket", BUCKET);
        properties.put("procurator.cache.storage.access-key", S3ProxyServer.ACCESS);
        properties.put("procurator.cache.storage.secret-key", S3ProxyServer.SECRET);
        // As arguments: they win over application.properties, as they would on a command line.
        return new SpringApplicationBuilder(CacheServiceApplication.class).run(properties.entrySet().stream()
                .map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    static void createCache(String name) {
        var created = first.json("POST", "/api/v1/caches", "{\"name\":\"" + name + "\"}", ADMIN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    static TestNar nar(String name, String... references) {
        byte[] bytes = new byte[2000];
        new Random(name.hashCode()).nextBytes(bytes);
        return TestNar.of(TestNar.randomHash(), name, new String(bytes, StandardCharsets.ISO_8859_1), Compression.ZSTD,
                references);
    }

    @Test
    void aPushThroughEitherIsServedByBoth() {
        createCache("shared");
        TestNar base = nar("base");
        TestNar app = nar("app", base.baseName());
        TestNar other = nar("other", base.baseName());
        assertThat(first.push("shared", base, ADMIN)).isEqualTo(201);
        assertThat(first.push("shared", app, ADMIN)).isEqualTo(201);
        assertThat(second.push("shared", other, ADMIN)).isEqualTo(201);
        assertThat(second.push("shared", app, ADMIN)).as("the same path again, through the other").isEqualTo(200);

        for (TestNar nar : List.of(base, app, other)) {
            String signed = first.get("/shared/" + nar.hash() + ".narinfo", null).body();
            assertThat(signed).contains("StorePath: " + nar.storePath(), "Sig: procurator-shared-1:");
            assertThat(second.get("/shared/" + nar.hash() + ".narinfo", null).body()).isEqualTo(signed);
            for (CacheClient client : List.of(first, second)) {
                var file = client.bytes("/shared/nar/" + nar.fileName());
                assertThat(file.statusCode()).isEqualTo(200);
                assertThat(file.body()).isEqualTo(nar.file());
            }
        }
    }

    @Test
    void anEvictionRunsOnOneInstanceAtATime() throws Exception {
        createCache("evicted");
        int paths = 600;
        for (int i = 0; i < paths; i++) {
            assertThat((i % 2 == 0 ? first : second).push("evicted", nar("old-" + i), ADMIN)).isEqualTo(201);
        }
        assertThat(first.json("PATCH", "/api/v1/caches/evicted", "{\"maxSizeBytes\":1}", ADMIN).statusCode())
                .isEqualTo(200);

        // Both asked at once: one evicts everything; the other waits for it and then finds nothing left to evict (or,
        // on a machine slow enough that the eviction outlasts its 30 s wait, says that one is running).
        List<String> results = new CopyOnWriteArrayList<>();
        List<Thread> asks = new ArrayList<>();
        for (CacheClient client : List.of(first, second)) {
            asks.add(Thread.ofPlatform().start(() -> {
                try {
                    var gc = client.json("POST", "/api/v1/caches/evicted/gc", null, ADMIN);
                    results.add(gc.statusCode() + " " + gc.body());
                } catch (RuntimeException e) {
                    results.add(e.toString());
                }
            }));
        }
        for (Thread ask : asks) {
            ask.join();
        }
        assertThat(results).hasSize(2).anyMatch(result -> result.startsWith("200 ")
                && result.contains("\"evictedPaths\":" + paths)).anyMatch(result -> result.startsWith("200 ")
                && result.contains("\"evictedPaths\":0") || result.startsWith("409 ") && result.contains("eviction_running"));
        assertThat(s3.objects(BUCKET)).noneMatch(key -> key.startsWith("evicted/"));
        JdbcClient jdbc = one.getBean(JdbcClient.class);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM int_lock").query(Long.class).single())
                .as("the lock is released").isZero();
    }

    @Test
    void whatOneInstanceEvictsTheOtherStopsServing() {
        createCache("forgotten");
        TestNar gone = nar("gone");
        assertThat(first.push("forgotten", gone, ADMIN)).isEqualTo(201);
        // Served by the second instance, which now holds the signed narinfo and the NAR file's facts in memory.
        assertThat(second.get("/forgotten/" + gone.hash() + ".narinfo", null).statusCode()).isEqualTo(200);
        assertThat(second.send("HEAD", "/forgotten/nar/" + gone.fileName(), null, null, null).statusCode())
                .isEqualTo(200);

        assertThat(first.json("PATCH", "/api/v1/caches/forgotten", "{\"maxSizeBytes\":1}", ADMIN).statusCode())
                .isEqualTo(200);
        assertThat(first.json("POST", "/api/v1/caches/forgotten/gc", null, ADMIN).body())
                .contains("\"evictedPaths\":1");
        awaitTrue("the second instance forgets the evicted path", () ->
                second.get("/forgotten/" + gone.hash() + ".narinfo", null).statusCode() == 404
                        && second.send("HEAD", "/forgotten/nar/" + gone.fileName(), null, null, null)
                        .statusCode() == 404);
        // And an upload of the same NAR through it is stored again, not answered "stored already".
        assertThat(second.push("forgotten", gone, ADMIN)).isEqualTo(201);
    }

    @Test
    void aCacheMadePrivateThroughOneIsPrivateOnBoth() {
        createCache("closing");
        TestNar path = nar("closing");
        assertThat(second.push("closing", path, ADMIN)).isEqualTo(201);
        assertThat(second.get("/closing/" + path.hash() + ".narinfo", null).statusCode()).isEqualTo(200);
        assertThat(first.json("PATCH", "/api/v1/caches/closing", "{\"public\":false}", ADMIN).statusCode())
                .isEqualTo(200);
        awaitTrue("the second instance asks for a token", () ->
                second.get("/closing/" + path.hash() + ".narinfo", null).statusCode() == 401);
    }

    /**
     * The second instance takes pushes whose paths reference old paths, while the first evicts those old paths: every
     * push is either stored with its references kept, or refused because a reference went first; afterwards every path
     * either instance serves has its NAR and all its references.
     */
    @Test
    void noClosureIsBrokenWhileOneInstanceEvictsAndTheOtherTakesPushes() throws Exception {
        createCache("racing");
        List<TestNar> old = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            TestNar nar = nar("lib-" + i);
            assertThat(first.push("racing", nar, ADMIN)).isEqualTo(201);
            old.add(nar);
        }
        Map<String, TestNar> pushed = new ConcurrentHashMap<>();
        List<String> answers = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> pushers = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int pusher = p;
            pushers.add(Thread.ofPlatform().start(() -> {
                Random random = new Random(pusher);
                for (int i = 0; !stop.get(); i++) {
                    TestNar lib = old.get(random.nextInt(old.size()));
                    TestNar app = nar("app-" + pusher + "-" + i, lib.baseName());
                    int status = second.push("racing", app, ADMIN);
                    answers.add(Integer.toString(status));
                    if (status == 201) {
                        pushed.put(app.hash(), app);
                    }
                }
            }));
        }
        Thread.sleep(500);
        assertThat(first.json("PATCH", "/api/v1/caches/racing", "{\"maxSizeBytes\":1}", ADMIN).statusCode())
                .isEqualTo(200);
        for (int round = 0; round < 3; round++) {
            var gc = first.json("POST", "/api/v1/caches/racing/gc", null, ADMIN);
            assertThat(gc.statusCode()).as(gc.body()).isEqualTo(200);
        }
        Thread.sleep(300); // pushes that reference what is gone now
        stop.set(true);
        for (Thread pusher : pushers) {
            pusher.join();
        }

        assertThat(answers).as("stored, or refused for a reference evicted first")
                .allMatch(status -> status.equals("201") || status.equals("400") || status.equals("409"))
                .contains("201", "400");
        List<TestNar> all = new ArrayList<>(old);
        all.addAll(pushed.values());
        for (TestNar nar : all) {
            for (CacheClient client : List.of(first, second)) {
                var narinfo = client.get("/racing/" + nar.hash() + ".narinfo", null);
                if (narinfo.statusCode() != 200) {
                    continue;
                }
                assertThat(client.send("HEAD", "/racing/nar/" + nar.fileName(), null, null, null).statusCode())
                        .as("the NAR of a served path").isEqualTo(200);
                for (String reference : nar.references()) {
                    assertThat(client.get("/racing/" + reference.substring(0, 32) + ".narinfo", null).statusCode())
                            .as("reference %s of served %s", reference, nar.storePath()).isEqualTo(200);
                }
            }
        }
        JdbcClient jdbc = one.getBean(JdbcClient.class);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM narinfo_reference r WHERE NOT EXISTS (SELECT 1 FROM narinfo n"
                + " WHERE n.cache_id = r.cache_id AND n.store_hash = r.ref_hash)").query(Long.class).single()).isZero();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 10 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
