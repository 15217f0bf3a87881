package dev.procurator.e2e.durability;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;

import dev.procurator.common.testing.RequiresTool;

/** CI crash safety on the embedded H2 default. */
@RequiresTool({"nix", "git"})
class CiCrashOnH2IT extends CiCrashContract {

    @BeforeAll
    static void startOnH2() throws Exception {
        start(Map.of());
    }
}
