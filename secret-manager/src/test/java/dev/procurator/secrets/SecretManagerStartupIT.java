package dev.procurator.secrets;

import dev.procurator.common.testing.ServiceStartupContract;

class SecretManagerStartupIT extends ServiceStartupContract {

    SecretManagerStartupIT() {
        super(SecretManagerApplication.class, "secret-manager");
    }
}
