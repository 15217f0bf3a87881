package dev.procurator.forge;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Forge settings ({@code procurator.forge.*}, env {@code PROCURATOR_FORGE_<FIELD>}); every field has a working default.
 *
 * @param maxPushBytes          largest pack a single push may send
 * @param maxPushObjects        most objects a single push may send
 * @param webhookInitialBackoff wait before the second attempt of a failed delivery; doubles per attempt
 * @param webhookMaxBackoff     cap of that wait
 * @param webhookMaxAttempts    attempts before a delivery is marked failed (it can still be redelivered by hand)
 * @param webhookTimeout        connect + response timeout of one attempt
 * @param webhookPollInterval   how often the deliverer looks for due deliveries when not woken by a push
 * @param packedGitLimit        JGit's cache of pack data in memory
 * @param jdkSha1               hash objects with the JDK's intrinsic SHA-1 instead of JGit's collision-detecting
 *                              pure-Java one (several times faster; pushed objects are still fsck-checked)
 * @param gcPackThreshold       repack a repository in the background once a push leaves more packs than this
 *                              (0 disables)
 * @param gcBitmapObjects       also repack once a repository without a reachability bitmap holds this many objects
 *                              (a large first push), so its clones skip counting objects (0 disables)
 * @param uploadDeltaSearch     search new deltas when serving fetches; off, packs reuse the deltas already
 *                              stored (as pushed or repacked), which is what makes clones fast
 * @param refReconcileInterval  how often every repository's refs are compared with the recorded push events (also
 *                              done at start-up and after a failed recording), so no ref update lacks its event
 */
@ConfigurationProperties("procurator.forge")
public record ForgeProperties(
        DataSize maxPushBytes,
        Long maxPushObjects,
        Duration webhookInitialBackoff,
        Duration webhookMaxBackoff,
        Integer webhookMaxAttempts,
        Duration webhookTimeout,
        Duration webhookPollInterval,
        DataSize packedGitLimit,
        Boolean jdkSha1,
        Boolean uploadDeltaSearch,
        Integer gcPackThreshold,
        Integer gcBitmapObjects,
        Duration refReconcileInterval) {

    public ForgeProperties {
        maxPushBytes = maxPushBytes == null ? DataSize.ofGigabytes(1) : maxPushBytes;
        maxPushObjects = maxPushObjects == null ? 2_000_000L : maxPushObjects;
        webhookInitialBackoff = webhookInitialBackoff == null ? Duration.ofSeconds(5) : webhookInitialBackoff;
        webhookMaxBackoff = webhookMaxBackoff == null ? Duration.ofHours(1) : webhookMaxBackoff;
        webhookMaxAttempts = webhookMaxAttempts == null ? 50 : webhookMaxAttempts;
        webhookTimeout = webhookTimeout == null ? Duration.ofSeconds(10) : webhookTimeout;
        webhookPollInterval = webhookPollInterval == null ? Duration.ofSeconds(1) : webhookPollInterval;
        packedGitLimit = packedGitLimit == null ? DataSize.ofMegabytes(256) : packedGitLimit;
        jdkSha1 = jdkSha1 == null || jdkSha1;
        uploadDeltaSearch = uploadDeltaSearch != null && uploadDeltaSearch;
        gcPackThreshold = gcPackThreshold == null ? 20 : gcPackThreshold;
        gcBitmapObjects = gcBitmapObjects == null ? 10_000 : gcBitmapObjects;
        refReconcileInterval = refReconcileInterval == null ? Duration.ofMinutes(5) : refReconcileInterval;
    }
}
