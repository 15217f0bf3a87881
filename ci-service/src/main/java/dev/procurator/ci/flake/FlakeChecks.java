package dev.procurator.ci.flake;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.procurator.ci.CiProperties;
import dev.procurator.ci.checkout.FlakeSource;
import dev.procurator.ci.log.StepLog;
import dev.procurator.ci.nix.Nix;
import dev.procurator.ci.pipeline.StepFailure;
import tools.jackson.databind.ObjectMapper;

/** {@code nix flake check} of the pushed commit, then its {@code procurator.ci} section read and validated. */
@Component
public class FlakeChecks {

    private final Nix nix;
    private final ObjectMapper json;
    private final CiProperties properties;

    FlakeChecks(Nix nix, ObjectMapper json, CiProperties properties) {
        this.nix = nix;
        this.json = json;
        this.properties = properties;
    }

    public CiConfig check(FlakeSource source, StepLog log) {
        nix.run(List.of("flake", "check", source.flakeRef()), properties.evaluationTimeout(), log);
        String ci = nix.run(List.of("eval", "--json", "--expr",
                        "(builtins.getFlake " + source.nixString() + ").procurator.ci or null"),
                properties.evaluationTimeout(), log).stdout();
        try {
            CiConfig config = CiConfig.parse(json.readTree(ci), properties.commandTimeout(),
                    properties.maxCommandTimeout());
            log.line(config.steps().isEmpty() ? "procurator.ci: no commands"
                    : "procurator.ci: " + config.steps().stream().map(CiConfig.Step::stepName).toList());
            return config;
        } catch (CiConfig.InvalidCiConfig invalid) {
            invalid.problems().forEach(log::line);
            throw new StepFailure("procurator.ci is invalid:\n" + invalid.getMessage());
        }
    }
}
