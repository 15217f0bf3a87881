package dev.procurator.controlplane;

import dev.procurator.common.testing.ServiceStartupContract;

class ControlPlaneStartupIT extends ServiceStartupContract {

    ControlPlaneStartupIT() {
        super(ControlPlaneApplication.class, "control-plane");
    }
}
