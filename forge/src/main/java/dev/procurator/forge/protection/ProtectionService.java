package dev.procurator.forge.protection;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.error.ApiException;
import dev.procurator.forge.repo.Repo;
import dev.procurator.forge.user.UserNames;
import dev.procurator.forge.user.UserService;

/** Protected-branch rules: stored per repository, enforced on every push before any ref moves. */
@Service
public class ProtectionService {

    private static final Logger log = LoggerFactory.getLogger(ProtectionService.class);

    private final ProtectionStore store;
    private final UserService users;

    ProtectionService(ProtectionStore store, UserService users) {
        this.store = store;
        this.users = users;
    }

    /** Rejects each command a rule forbids, with a {@code remote:} line explaining why. */
    public void enforce(Repo repo, Caller pusher, ReceivePack pack, Collection<ReceiveCommand> commands) {
        List<BranchProtection> rules = store.findByRepoIdOrderByBranch(repo.id());
        if (rules.isEmpty()) {
            return;
        }
        for (ReceiveCommand cmd : commands) {
            if (!cmd.getRefName().startsWith(Constants.R_HEADS)) {
                continue;
            }
            String branch = Repository.shortenRefName(cmd.getRefName());
            ProtectionRules.ruleFor(rules, branch)
                    .flatMap(rule -> ProtectionRules.violation(rule, branch, cmd.getType(), pusher.name()))
                    .ifPresent(reason -> {
                        cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, reason);
                        pack.sendMessage("Procurator: push rejected: " + reason);
                        log.info("push rejected repo={} ref={} pusher={} reason={}", repo.fullName(),
                                cmd.getRefName(), pusher.name(), reason);
                    });
        }
    }

    public List<BranchProtection> of(Repo repo) {
        return store.findByRepoIdOrderByBranch(repo.id());
    }

    @Transactional
    public BranchProtection protect(Repo repo, String branch, boolean forbidForcePush, boolean forbidDeletion,
                                    List<String> pushers) {
        requireValidBranch(branch);
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String name : pushers == null ? List.<String>of() : pushers) {
            names.add(users.byName(name).name());
        }
        BranchProtection rule = store.findByRepoIdAndBranch(repo.id(), branch)
                .orElseGet(() -> new BranchProtection(repo.id(), branch));
        rule.apply(forbidForcePush, forbidDeletion, List.copyOf(names));
        log.info("branch protected repo={} branch={} forbidForcePush={} forbidDeletion={} pushers={}",
                repo.fullName(), branch, forbidForcePush, forbidDeletion, names);
        return store.save(rule);
    }

    @Transactional
    public void unprotect(Repo repo, String branch) {
        BranchProtection rule = store.findByRepoIdAndBranch(repo.id(), branch).orElseThrow(() ->
                ApiException.notFound("Branch " + UserNames.printableName(branch) + " of " + repo.fullName()
                        + " is not protected."));
        store.delete(rule);
        log.info("branch unprotected repo={} branch={}", repo.fullName(), branch);
    }

    static void requireValidBranch(String branch) {
        if (branch == null || branch.isEmpty() || branch.length() > 200
                || !Repository.isValidRefName(Constants.R_HEADS + branch.replace('*', 'x'))) {
            throw ApiException.badRequest("invalid_branch",
                    "Not a valid branch name or pattern: '" + UserNames.printableName(branch) + "'.");
        }
    }
}
