package dev.procurator.forge;

import dev.procurator.common.testing.ServiceStartupContract;

class ForgeStartupIT extends ServiceStartupContract {

    ForgeStartupIT() {
        super(ForgeApplication.class, "forge");
    }
}
