package dev.procurator.forge.git;

import java.io.IOException;
import java.util.Set;

import org.eclipse.jgit.internal.transport.connectivity.FullConnectivityChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.transport.ConnectivityChecker;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * Proves a push connected without re-reading it when it can: if every new ref tip was received and every object
 * named by a received object was received too (with the right type), everything reachable from the new tips is in
 * the pack just written, which is exactly what JGit's full check would conclude after walking (and re-inflating)
 * every new commit and tree. That is the common case of a push into an empty repository or of a pack that carries
 * whole trees; there the walk cost about half of the push.
 *
 * <p>Otherwise (a pack that builds on objects already in the repository: the usual incremental push) it runs
 * JGit's {@link FullConnectivityChecker}, which walks only from the new tips down to the existing refs, as C git's
 * {@code rev-list --objects --stdin --not --all} does.
 */
final class SelfContainedConnectivityChecker implements ConnectivityChecker {

    private final ReceivedObjects received;
    private final ConnectivityChecker fallback = new FullConnectivityChecker();

    SelfContainedConnectivityChecker(ReceivedObjects received) {
        this.received = received;
    }

    @Override
    public void checkConnectivity(ConnectivityCheckInfo info, Set<ObjectId> haves, ProgressMonitor pm)
            throws IOException {
        if (info.isCheckObjects() || !tipsReceived(info, haves) || !received.selfContained()) {
            fallback.checkConnectivity(info, haves, pm);
        }
    }

    private boolean tipsReceived(ConnectivityCheckInfo info, Set<ObjectId> haves) {
        for (ReceiveCommand cmd : info.getCommands()) {
            if (cmd.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED || cmd.getType() == ReceiveCommand.Type.DELETE
                    || haves.contains(cmd.getNewId())) {
                continue;
            }
            if (!received.contains(cmd.getNewId())) {
                return false;
            }
        }
        return true;
    }
}
