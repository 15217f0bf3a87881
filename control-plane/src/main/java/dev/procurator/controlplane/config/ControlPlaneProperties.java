package dev.procurator.controlplane.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.procurator.controlplane.scheduler.ScoringPolicy;

/**
 * The control plane's settings ({@code procurator.control-plane.*}, each with a {@code PROCURATOR_CONTROL_PLANE_*}
 * environment override).
 *
 * @param rpcPort           the Cap'n Proto {@code Master} port ({@code PROCURATOR_RPC_PORT}); 0 = an ephemeral one
 * @param advertisedRpc     the {@code host:port} followers name in {@code not_leader}; default {@code localhost:<port>}
 * @param heartbeatInterval how often workers heartbeat
 * @param suspectAfter      a worker silent this long is suspect (keeps its replicas, takes no new ones)
 * @param downAfter         a worker silent this long is down: its replicas are rescheduled
 * @param pollTimeout       the long poll's wait when the worker asks for the default (0)
 * @param tick              how often rollouts, liveness and placement are driven besides events
 * @param leaseTtl          the leader lock's expiry: a dead leader is replaced after about this long
 * @param cacheName         the binary cache workers substitute from, under {@code PROCURATOR_CACHE_URL}
 * @param scoring           bin-pack or spread replicas
 */
@ConfigurationProperties("procurator.control-plane")
public record ControlPlaneProperties(
        Integer rpcPort,
        String advertisedRpc,
        Duration heartbeatInterval,
        Duration suspectAfter,
        Duration downAfter,
        Duration pollTimeout,
        Duration tick,
        Duration leaseTtl,
        String cacheName,
        ScoringPolicy scoring) {

    public ControlPlaneProperties {
        rpcPort = rpcPort == null ? 7441 : rpcPort;
        heartbeatInterval = or(heartbeatInterval, Duration.ofSeconds(5));
        suspectAfter = or(suspectAfter, Duration.ofSeconds(15));
        downAfter = or(downAfter, Duration.ofSeconds(30));
        pollTimeout = or(pollTimeout, Duration.ofSeconds(30));
        tick = or(tick, Duration.ofSeconds(1));
        leaseTtl = or(leaseTtl, Duration.ofSeconds(10));
        cacheName = cacheName == null || cacheName.isBlank() ? "main" : cacheName;
        scoring = scoring == null ? ScoringPolicy.SPREAD : scoring;
    }

    private static Duration or(Duration value, Duration fallback) {
        return value == null ? fallback : value;
    }
}
