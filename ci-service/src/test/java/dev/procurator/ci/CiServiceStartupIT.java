package dev.procurator.ci;

import dev.procurator.common.testing.ServiceStartupContract;

class CiServiceStartupIT extends ServiceStartupContract {

    CiServiceStartupIT() {
        super(CiServiceApplication.class, "ci-service");
    }
}
