package dev.procurator.cache;

import dev.procurator.common.testing.ServiceStartupContract;

class CacheServiceStartupIT extends ServiceStartupContract {

    CacheServiceStartupIT() {
        super(CacheServiceApplication.class, "cache-service");
    }
}
