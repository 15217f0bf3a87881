package dev.procurator.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The cache service's own settings ({@code procurator.cache.*}, env {@code PROCURATOR_CACHE_*}), each with a working
 * default.
 *
 * @param maxUploadSize        largest NAR or narinfo body accepted (413 above it)
 * @param defaultMaxSize       size limit of caches created without one ({@code 0} = unlimited)
 * @param accessFlushInterval  how often batched last-access times are written
 * @param evictionInterval     how often caches over their limit are trimmed
 * @param orphanGrace          how long an uploaded NAR may wait for its narinfo before it is collected
 * @param narinfoCacheEntries  signed narinfos kept in memory for the hot read path
 * @param keyNamePrefix        signing keys are named {@code <prefix>-<cache>-1}
 * @param storage              where NAR files live
 * @param fsync                force each NAR file to disk before it becomes visible (durable across power loss,
 *                             at a few ms per upload on a busy disk); the rename is atomic either way
 */
@ConfigurationProperties("procurator.cache")
public record CacheProperties(DataSize maxUploadSize, DataSize defaultMaxSize, Duration accessFlushInterval,
                            Duration evictionInterval, Duration orphanGrace, Integer narinfoCacheEntries,
                            String keyNamePrefix, Storage storage, Boolean fsync) {

    public CacheProperties {
        maxUploadSize = maxUploadSize == null ? DataSize.ofGigabytes(8) : maxUploadSize;
        defaultMaxSize = defaultMaxSize == null ? DataSize.ofBytes(0) : defaultMaxSize;
        accessFlushInterval = accessFlushInterval == null ? Duration.ofSeconds(10) : accessFlushInterval;
        evictionInterval = evictionInterval == null ? Duration.ofMinutes(1) : evictionInterval;
        orphanGrace = orphanGrace == null ? Duration.ofHours(1) : orphanGrace;
        narinfoCacheEntries = narinfoCacheEntries == null ? 100_000 : narinfoCacheEntries;
        keyNamePrefix = keyNamePrefix == null || keyNamePrefix.isBlank() ? "procurator" : keyNamePrefix;
        storage = storage == null ? new Storage(null, null, null, null, null, null, null) : storage;
        fsync = fsync != null && fsync;
    }

    /**
     * @param type      {@code filesystem} (under the data dir) or {@code s3}
     * @param endpoint  S3 endpoint URL (any S3-compatible server); unset = AWS
     */
    public record Storage(String type, String endpoint, String region, String bucket, String accessKey,
                          String secretKey, Boolean pathStyle) {
        public Storage {
            type = type == null || type.isBlank() ? "filesystem" : type;
            region = region == null || region.isBlank() ? "us-east-1" : region;
            bucket = bucket == null || bucket.isBlank() ? "procurator-cache" : bucket;
            pathStyle = pathStyle == null ? Boolean.TRUE : pathStyle;
        }
    }
}
