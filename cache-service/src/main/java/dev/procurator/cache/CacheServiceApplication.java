package dev.procurator.cache;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Binary cache: a Nix binary cache with signed narinfos, NAR storage on disk or S3, per-cache tokens, LRU eviction and GC roots. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CacheServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CacheServiceApplication.class, args);
    }
}
