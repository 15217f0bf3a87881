package dev.procurator.forge.git;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.resolver.ReceivePackFactory;
import org.eclipse.jgit.transport.resolver.ServiceNotAuthorizedException;
import org.eclipse.jgit.transport.resolver.ServiceNotEnabledException;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.Callers;
import dev.procurator.forge.ForgeProperties;
import dev.procurator.forge.protection.ProtectionService;
import dev.procurator.forge.repo.Permission;
import dev.procurator.forge.repo.RepoService;
import dev.procurator.forge.webhook.PushRecorder;

/**
 * A push needs write access. Each push gets size and object-count limits, fsck of every received object, the
 * protected-branch rules before any ref moves, and the push record (with its webhook deliveries) after.
 */
final class ReceivePackFactoryImpl implements ReceivePackFactory<HttpServletRequest> {

    private final ForgeProperties properties;
    private final ProtectionService protection;
    private final PushRecorder recorder;
    private final RepoMaintenance maintenance;

    ReceivePackFactoryImpl(ForgeProperties properties, ProtectionService protection, PushRecorder recorder,
                           RepoMaintenance maintenance) {
        this.maintenance = maintenance;
        this.properties = properties;
        this.protection = protection;
        this.recorder = recorder;
    }

    @Override
    public ReceivePack create(HttpServletRequest request, Repository db)
            throws ServiceNotEnabledException, ServiceNotAuthorizedException {
        Optional<Caller> maybeCaller = Callers.current(request);
        if (maybeCaller.isEmpty()) {
            throw new ServiceNotAuthorizedException();
        }
        Caller caller = maybeCaller.get();
        RepoService.Access access = (RepoService.Access) request.getAttribute(ForgeRepositoryResolver.ACCESS);
        if (access == null || !access.can(Permission.WRITE)) {
            throw new ServiceNotEnabledException("You need write access to push to "
                    + (access == null ? "this repository" : access.repo().fullName())
                    + " (token scope 'write' and a write role).");
        }
        ReceivedObjects received = new ReceivedObjects();
        ReceivePack rp = new ConnectivityCheckedReceivePack(db, new SelfContainedConnectivityChecker(received));
        rp.setRefLogIdent(new PersonIdent(caller.name(), caller.name() + "@procurator"));
        rp.setAllowNonFastForwards(true);
        rp.setAllowDeletes(true);
        rp.setAllowBranchDeletes(true);
        rp.setMaxPackSizeLimit(properties.maxPushBytes().toBytes());
        rp.setCheckReceivedObjects(true);
        rp.setObjectChecker(new PushObjectLimit(properties.maxPushObjects(), received));
        rp.setPreReceiveHook((pack, commands) -> {
            StaleRefMessages.explain(pack);
            protection.enforce(access.repo(), caller, pack, commands);
        });
        rp.setPostReceiveHook((pack, commands) -> {
            recorder.record(access.repo(), caller.name(), pack, commands);
            maintenance.afterPush(access.repo().owner().name(), access.repo().name(), pack.getRepository());
        });
        return rp;
    }
}
