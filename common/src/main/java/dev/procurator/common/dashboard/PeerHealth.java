package dev.procurator.common.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks every peer's {@code /actuator/health} in parallel with a short timeout, and remembers the answer for a few
 * seconds so a dashboard refresh never waits on a dead peer twice. The HTTP client's work runs on the executor it is
 * given (the service's {@code applicationTaskExecutor}); {@link #close} ends the client with the application.
 */
public class PeerHealth implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofMillis(400);
    private static final Duration CACHE_FOR = Duration.ofSeconds(5);
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

    private final Map<String, String> peers;
    private final String self;
    private final HttpClient http;

    private List<PeerStatus> cached = List.of();
    private Instant cachedAt = Instant.EPOCH;

    public PeerHealth(Map<String, String> peers, String self, Executor executor) {
        this.peers = peers;
        this.self = self;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).executor(executor).build();
    }

    public synchronized List<PeerStatus> statuses() {
        if (Instant.now().isAfter(cachedAt.plus(CACHE_FOR))) {
            cached = probeAll();
            cachedAt = Instant.now();
        }
        return cached;
    }

    private List<PeerStatus> probeAll() {
        List<CompletableFuture<PeerStatus>> probes = new ArrayList<>();
        peers.forEach((name, url) -> probes.add(name.equals(self)
                ? CompletableFuture.completedFuture(new PeerStatus(name, url, "UP"))
                : probe(name, url)));
        return probes.stream().map(CompletableFuture::join).toList();
    }

    private CompletableFuture<PeerStatus> probe(String name, String url) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url + "/actuator/health")).timeout(TIMEOUT).GET().build();
        } catch (IllegalArgumentException notHttp) {
            return CompletableFuture.completedFuture(new PeerStatus(name, url, "UNKNOWN"));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new PeerStatus(name, url, statusOf(response.body())))
                .exceptionally(e -> new PeerStatus(name, url, "UNREACHABLE"));
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    static String statusOf(String body) {
        Matcher matcher = STATUS.matcher(body == null ? "" : body);
        return matcher.find() ? matcher.group(1) : "UNKNOWN";
    }
}
