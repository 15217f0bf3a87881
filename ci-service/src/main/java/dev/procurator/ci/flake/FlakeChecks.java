package dev.procurator.ci.flake;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.procurator.ci.CiProperties;
import dev.procurator.ci.checkout.FlakeSource;
import dev.procurator.ci.log.StepLog;
import dev.procurator.ci.nix.Nix;

/** {@code nix flake check} of the pushed commit: the flake's own checks, built, and its outputs' shapes. */
@Component
public class FlakeChecks {

    private final Nix nix;
    private final CiProperties properties;

    FlakeChecks(Nix nix, CiProperties properties) {
        this.nix = nix;
        this.properties = properties;
    }

    public void check(FlakeSource source, StepLog log) {
        nix.run(List.of("flake", "check", source.flakeRef()), properties.evaluationTimeout(), log);
    }
}
