package dev.procurator.cache;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Binary cache: A Nix binary cache: signed narinfos, NAR storage on disk or S3, per-cache tokens, LRU eviction and GC roots. */
@SpringBootApplication
public class CacheServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CacheServiceApplication.class, args);
    }
}
