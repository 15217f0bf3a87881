package dev.procurator.controlplane.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.procurator.controlplane.testing.ControlPlaneInstance;
import dev.procurator.controlplane.testing.MasterClient;
import dev.procurator.schema.Common;

/** Assignments name the binary cache and, once the cache answered, its public key; until then the key is empty. */
class CacheKeyIT {

    @TempDir
    Path dataDir;

    @Test
    void assignmentCarriesTheCacheUrlAndItsKeyOnceTheCacheAnswers() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        HttpServer cache = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cache.createContext("/api/v1/caches/main", exchange -> {
            // the first answer fails: the control plane asks again
            boolean fail = asked.incrementAndGet() == 1;
            byte[] body = (fail ? "{}" : "{\"name\":\"main\",\"publicKey\":\"main:c2lnbmluZy1rZXk=\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        cache.start();
        String cacheUrl = "http://127.0.0.1:" + cache.getAddress().getPort();
        Map<String, Object> properties = ControlPlaneInstance.defaults(dataDir);
        properties.put("procurator.cache-url", cacheUrl);
        // this worker never heartbeats: keep it from going down during the test
        properties.put("procurator.control-plane.suspect-after", "60s");
        properties.put("procurator.control-plane.down-after", "120s");
        try (ControlPlaneInstance plane = ControlPlaneInstance.start(properties);
             MasterClient client = new MasterClient(plane.rpcAddress())) {
            await().atMost(Duration.ofSeconds(20)).until(plane::isLeader);
            client.master().registerWorker(p -> {
                Common.WorkerInfo.Builder info = p.initInfo();
                info.setWorkerId("w1");
                info.initCapacity().setCpu(2);
                info.getCapacity().setMemoryMb(2048);
            }).get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                Common.Assignment.Reader assignment = client.master().getAssignment(p -> {
                    p.setWorkerId("w1");
                    p.setKnownRevision(-1);
                }).get(10, TimeUnit.SECONDS).getAssignment();
                assertThat(assignment.getCacheUrl().toString()).isEqualTo(cacheUrl + "/main");
                return assignment.getCachePublicKey().toString().equals("main:c2lnbmluZy1rZXk=");
            });
            assertThat(asked.get()).isGreaterThanOrEqualTo(2);
        } finally {
            cache.stop(0);
        }
    }
}
