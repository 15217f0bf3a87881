package dev.procurator.cache.storage;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.procurator.cache.CacheProperties;
import dev.procurator.common.config.ProcuratorProperties;

/** Chooses the NAR store from {@code procurator.cache.storage.type}. */
@Configuration
class StorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    @Bean
    BlobStore blobStore(CacheProperties settings, ProcuratorProperties properties) throws IOException {
        return switch (settings.storage().type()) {
            case "filesystem" -> {
                log.info("NAR storage: file system under {}", properties.dataDir().resolve("nar"));
                yield new FileSystemBlobStore(properties.dataDir(), settings.fsync());
            }
            case "s3" -> {
                log.info("NAR storage: S3 bucket {} at {}", settings.storage().bucket(),
                        settings.storage().endpoint() == null ? "AWS" : settings.storage().endpoint());
                yield new S3BlobStore(settings.storage(), properties.dataDir());
            }
            default -> throw new IllegalStateException("procurator.cache.storage.type must be filesystem or s3, not '"
                    + settings.storage().type() + "'");
        };
    }
}
