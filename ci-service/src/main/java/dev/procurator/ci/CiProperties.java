package dev.procurator.ci;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The CI service's own settings ({@code procurator.ci.*}, env {@code PROCURATOR_CI_*}), each with a working default.
 * The README's "Configuration" table documents them.
 *
 * @param executors          pipelines this instance runs at once
 * @param pollInterval       how often an idle instance looks for queued pipelines (a push to this instance wakes it
 *                           at once)
 * @param lease              how long a claim on a running pipeline lasts without renewal; an instance that dies is
 *                           noticed after this and its pipelines are queued again
 * @param maxAttempts        how many times a pipeline may lose its executor before it fails instead of running again
 * @param cache              the binary cache closures are pushed to ({@code $PROCURATOR_CACHE_URL/<cache>})
 * @param webhookSecret      HMAC key of the forge's webhook; unset = generated into {@code <data dir>/webhook-secret}
 * @param forgeToken         token for fetching and commit statuses ({@code PROCURATOR_FORGE_TOKEN}); unset = the
 *                           admin token
 * @param cacheToken         token for pushing to the cache ({@code PROCURATOR_CACHE_TOKEN}); unset = the admin token
 * @param statusContext      the commit status context shown on the forge
 * @param evaluationTimeout  limit of {@code nix flake check} and of each evaluation
 * @param buildTimeout       limit of the closure build
 * @param commandTimeout     limit of a {@code procurator.ci} command that sets none itself
 * @param maxCommandTimeout  the most a {@code procurator.ci} command may ask for
 * @param maxLogSize         log kept per step; output beyond it is dropped with a note
 * @param retryInitial       first wait before retrying an unreachable forge, cache or control plane
 * @param retryMax           longest wait between two retries
 * @param retryFor           how long to keep retrying before the step fails with the last reason
 * @param nix                how {@code nix} runs for the service
 */
@ConfigurationProperties("procurator.ci")
public record CiProperties(Integer executors, Duration pollInterval, Duration lease, Integer maxAttempts, String cache,
                           String webhookSecret, String forgeToken, String cacheToken, String statusContext,
                           Duration evaluationTimeout, Duration buildTimeout, Duration commandTimeout,
                           Duration maxCommandTimeout, DataSize maxLogSize, Duration retryInitial, Duration retryMax,
                           Duration retryFor, Nix nix) {

    public CiProperties {
        executors = executors == null || executors < 1 ? 2 : executors;
        pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
        lease = lease == null ? Duration.ofSeconds(30) : lease;
        maxAttempts = maxAttempts == null || maxAttempts < 1 ? 3 : maxAttempts;
        cache = blank(cache) ? "main" : cache.strip();
        statusContext = blank(statusContext) ? "procurator/ci" : statusContext;
        evaluationTimeout = evaluationTimeout == null ? Duration.ofMinutes(10) : evaluationTimeout;
        buildTimeout = buildTimeout == null ? Duration.ofHours(2) : buildTimeout;
        commandTimeout = commandTimeout == null ? Duration.ofMinutes(30) : commandTimeout;
        maxCommandTimeout = maxCommandTimeout == null ? Duration.ofHours(2) : maxCommandTimeout;
        maxLogSize = maxLogSize == null ? DataSize.ofMegabytes(4) : maxLogSize;
        retryInitial = retryInitial == null ? Duration.ofSeconds(1) : retryInitial;
        retryMax = retryMax == null ? Duration.ofSeconds(30) : retryMax;
        retryFor = retryFor == null ? Duration.ofMinutes(5) : retryFor;
        nix = nix == null ? new Nix(null, null, null, null) : nix;
    }

    /**
     * The service's own Nix configuration (notes/nix.md): written to {@code <data dir>/nix/conf/nix.conf} on start
     * unless {@code confDir} names a directory the operator maintains.
     *
     * @param confDir            an existing NIX_CONF_DIR to use as is
     * @param sandbox            build in Nix's sandbox (pushed code cannot read the service's files)
     * @param extraSandboxPaths  host paths visible in the sandbox, when present ({@code ?}): {@code /bin/busybox}, the
     *                           builder of test and example flakes, and {@code /var/cache/procurator/guest-kernel},
     *                           the kernel the example's guests are built from (nix/lib/microvm.nix)
     * @param extraConfig        more nix.conf lines, appended
     */
    public record Nix(Path confDir, Boolean sandbox, List<String> extraSandboxPaths, String extraConfig) {
        public Nix {
            sandbox = sandbox == null || sandbox;
            extraSandboxPaths = extraSandboxPaths == null ? List.of("/bin/busybox?", "/var/cache/procurator/guest-kernel?") : List.copyOf(extraSandboxPaths);
            extraConfig = extraConfig == null ? "" : extraConfig;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
