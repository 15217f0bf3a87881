package dev.procurator.observability;

import dev.procurator.common.testing.ServiceStartupContract;

class ObservabilityStartupIT extends ServiceStartupContract {

    ObservabilityStartupIT() {
        super(ObservabilityApplication.class, "observability");
    }
}
