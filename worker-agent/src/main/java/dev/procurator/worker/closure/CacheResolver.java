package dev.procurator.worker.closure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.procurator.worker.config.CacheSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides which cache a closure is substituted from: the agent's own ({@code PROCURATOR_CACHE_URL}, cache
 * {@code main}, key from {@code GET <cache>/api/v1/caches/main} unless {@code PROCURATOR_CACHE_PUBLIC_KEY} is set),
 * else the assignment's. The key read from the cache-service is kept once known. The cache is read anonymously
 * ({@code main} is public), so no credential of this agent is ever sent to it.
 */
@Component
public class CacheResolver {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CacheSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String fetchedKey;

    public CacheResolver(CacheSettings settings) {
        this.settings = settings;
    }

    /**
     * @param assignedUrl the assignment's {@code cacheUrl} (may be empty)
     * @param assignedKey the assignment's {@code cachePublicKey} (may be empty)
     */
    public BinaryCache resolve(String assignedUrl, String assignedKey) {
        if (settings.baseUrl() != null) {
            String key = settings.publicKey() != null ? settings.publicKey() : publicKeyOfConfiguredCache();
            return new BinaryCache(settings.baseUrl() + "/" + CacheSettings.CACHE_NAME, key);
        }
        if (assignedUrl == null || assignedUrl.isBlank()) {
            throw new ClosureException("no binary cache: PROCURATOR_CACHE_URL is not set and the assignment names none");
        }
        String key = Optional.ofNullable(settings.publicKey()).orElse(assignedKey);
        if (key == null || key.isBlank()) {
            throw new ClosureException("no public key for " + assignedUrl + ": signatures are required; set "
                    + "PROCURATOR_CACHE_PUBLIC_KEY or have the master send cachePublicKey");
        }
        return new BinaryCache(assignedUrl, key);
    }

    private String publicKeyOfConfiguredCache() {
        String known = fetchedKey;
        if (known != null) {
            return known;
        }
        String url = settings.baseUrl() + "/api/v1/caches/" + CacheSettings.CACHE_NAME;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json");
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new ClosureException("cannot read the cache's public key: GET " + url + " answered HTTP "
                        + response.statusCode());
            }
            JsonNode body = JSON.readTree(response.body());
            String key = body.path("publicKey").asString("");
            if (key.isBlank()) {
                throw new ClosureException("GET " + url + " returned no publicKey");
            }
            fetchedKey = key;
            return key;
        } catch (IOException e) {
            throw new ClosureException("cannot reach the cache at " + url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClosureException("interrupted while reading the cache's public key");
        }
    }
}
