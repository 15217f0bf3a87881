package dev.procurator.cache.support;

import java.nio.file.Path;

/**
 * The embedded H2 database as the service would create it under a data dir. Tests set it explicitly: the data dir
 * they register reaches Spring after the environment post-processor derived the default datasource URL.
 */
public final class EmbeddedDb {

    private EmbeddedDb() {
    }

    public static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("cache-service")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE"
                + ";INIT=CREATE SCHEMA IF NOT EXISTS cache_service";
    }
}
