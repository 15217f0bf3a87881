package dev.procurator.forge.protection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.eclipse.jgit.transport.ReceiveCommand;
import org.junit.jupiter.api.Test;

class ProtectionRulesTest {

    static BranchProtection rule(String branch, boolean force, boolean delete, String... pushers) {
        BranchProtection rule = new BranchProtection(1L, branch);
        rule.apply(force, delete, List.of(pushers));
        return rule;
    }

    @Test
    void exactRuleWinsOverPatternAndPatternsDoNotCrossSlashes() {
        List<BranchProtection> rules = List.of(rule("release/*", true, true), rule("main", false, true));
        assertThat(ProtectionRules.ruleFor(rules, "main")).get().extracting(BranchProtection::branch).isEqualTo("main");
        assertThat(ProtectionRules.ruleFor(rules, "release/1.0")).isPresent();
        assertThat(ProtectionRules.ruleFor(rules, "release/1.0/hotfix")).isEmpty();
        assertThat(ProtectionRules.ruleFor(rules, "feature")).isEmpty();
    }

    @Test
    void violationsNameTheRuleThatWasBroken() {
        BranchProtection main = rule("main", true, true);
        assertThat(ProtectionRules.violation(main, "main", ReceiveCommand.Type.UPDATE, "bob")).isEmpty();
        assertThat(ProtectionRules.violation(main, "main", ReceiveCommand.Type.UPDATE_NONFASTFORWARD, "bob"))
                .get().asString().contains("force-push");
        assertThat(ProtectionRules.violation(main, "main", ReceiveCommand.Type.DELETE, "bob"))
                .get().asString().contains("cannot be deleted");
        assertThat(ProtectionRules.violation(rule("main", false, false), "main", ReceiveCommand.Type.DELETE, "bob"))
                .isEmpty();
        BranchProtection restricted = rule("main", false, false, "alice");
        assertThat(ProtectionRules.violation(restricted, "main", ReceiveCommand.Type.UPDATE, "bob"))
                .get().asString().contains("only alice may push");
        assertThat(ProtectionRules.violation(restricted, "main", ReceiveCommand.Type.UPDATE, "alice")).isEmpty();
    }
}
