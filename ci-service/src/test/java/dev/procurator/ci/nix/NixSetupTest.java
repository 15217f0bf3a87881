package dev.procurator.ci.nix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.procurator.ci.CiProperties;

class NixSetupTest {

    @Test
    void theServicesNixConfigurationIsOfflineSandboxedAndNeverTrustsARememberedNarinfo() {
        String conf = NixSetup.nixConf(new CiProperties.Nix(null, null, null, "max-jobs = 4"));
        assertThat(conf.lines()).contains("experimental-features = nix-command flakes", "substituters =",
                "flake-registry =", "narinfo-cache-negative-ttl = 0", "narinfo-cache-positive-ttl = 0",
                "sandbox = true", "extra-sandbox-paths = /bin/busybox? /var/cache/procurator/guest-kernel?", "max-jobs = 4");
    }

    @Test
    void theSandboxAndItsPathsAreSettings() {
        String conf = NixSetup.nixConf(new CiProperties.Nix(null, false, List.of(), null));
        assertThat(conf.lines()).contains("sandbox = false").noneMatch(line -> line.startsWith("extra-sandbox-paths"));
    }
}
