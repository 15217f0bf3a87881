package dev.procurator.forge.protection;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.jgit.transport.ReceiveCommand;

/** The pure part of branch protection: which rule covers a branch and what it says about one ref update. */
final class ProtectionRules {

    private ProtectionRules() {
    }

    /** The rule for a branch: an exact match wins over a {@code *} pattern; patterns never cross {@code /}. */
    static Optional<BranchProtection> ruleFor(List<BranchProtection> rules, String branch) {
        Optional<BranchProtection> exact = rules.stream().filter(r -> r.branch().equals(branch)).findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        return rules.stream().filter(r -> r.branch().contains("*") && glob(r.branch()).matcher(branch).matches())
                .findFirst();
    }

    /** Why the update is refused, or empty when the rule allows it. */
    static Optional<String> violation(BranchProtection rule, String branch, ReceiveCommand.Type type, String pusher) {
        if (!rule.pushers().isEmpty() && !rule.pushers().contains(pusher)) {
            return Optional.of("branch " + branch + " is protected: only " + String.join(", ", rule.pushers())
                    + " may push to it");
        }
        if (type == ReceiveCommand.Type.DELETE && rule.forbidDeletion()) {
            return Optional.of("branch " + branch + " is protected: it cannot be deleted");
        }
        if (type == ReceiveCommand.Type.UPDATE_NONFASTFORWARD && rule.forbidForcePush()) {
            return Optional.of("branch " + branch + " is protected: force-push (non-fast-forward) is not allowed;"
                    + " merge or rebase onto it and push again");
        }
        return Optional.empty();
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append("[^/]*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
