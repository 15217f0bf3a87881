package dev.procurator.controlplane.assignment;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import dev.procurator.common.auth.AdminToken;
import dev.procurator.common.config.ProcuratorProperties;
import dev.procurator.controlplane.config.ControlPlaneProperties;

/**
 * The binary cache workers substitute from ({@code PROCURATOR_CACHE_URL}/{@code <cacheName>}) and its signing key,
 * asked from {@code GET /api/v1/caches/<name>} in the background every 10 s until the cache answers; empty until then
 * (a worker then trusts only what it was configured with).
 */
@Component
public class CacheKey implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CacheKey.class);
    private static final Duration RETRY = Duration.ofSeconds(10);

    private final String baseUrl;
    private final String name;
    private final RestClient http;
    private final TaskScheduler scheduler;
    private volatile String publicKey = "";
    private volatile ScheduledFuture<?> retry;

    CacheKey(ProcuratorProperties platform, ControlPlaneProperties properties, AdminToken adminToken,
             TaskScheduler scheduler) {
        this.baseUrl = platform.cacheUrl();
        this.name = properties.cacheName();
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(Duration.ofSeconds(2));
        requests.setReadTimeout(Duration.ofSeconds(5));
        this.http = RestClient.builder().requestFactory(requests).baseUrl(baseUrl)
                .defaultHeader("Authorization", "Bearer " + adminToken.value()).build();
        this.scheduler = scheduler;
    }

    public String url() {
        return baseUrl + "/" + name;
    }

    public String publicKey() {
        return publicKey;
    }

    private void fetch() {
        try {
            Map<?, ?> cache = http.get().uri("/api/v1/caches/{name}", name).retrieve().body(Map.class);
            Object key = cache == null ? null : cache.get("publicKey");
            if (key instanceof String text && !text.isBlank()) {
                publicKey = text;
                retry.cancel(false);
                log.info("Cache {} signs with {}", url(), text);
            }
        } catch (RuntimeException e) {
            log.debug("Cache {} not reachable yet: {}", url(), e.getMessage());
        }
    }

    @Override
    public void start() {
        retry = scheduler.scheduleWithFixedDelay(this::fetch, Instant.now(), RETRY);
    }

    @Override
    public void stop() {
        retry.cancel(false);
    }

    @Override
    public boolean isRunning() {
        return retry != null && !retry.isCancelled();
    }
}
