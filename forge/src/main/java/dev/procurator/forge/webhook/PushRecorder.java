package dev.procurator.forge.webhook;

import java.io.IOException;
import java.util.Collection;

import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.procurator.forge.repo.Repo;

/**
 * After a push moved its refs: records each accepted update as a push event with its webhook deliveries, before
 * the push's HTTP response ends, so a client that saw its push succeed finds the event recorded. If recording fails
 * (the database is unreachable), the refs have moved all the same: the user is told, and the {@link RefReconciler}
 * records the missing events as soon as it can.
 */
@Component
public class PushRecorder {

    private static final Logger log = LoggerFactory.getLogger(PushRecorder.class);

    private final PushEventWriter writer;
    private final RefReconciler reconciler;

    PushRecorder(PushEventWriter writer, RefReconciler reconciler) {
        this.writer = writer;
        this.reconciler = reconciler;
    }

    public void record(Repo repo, String pusher, ReceivePack pack, Collection<ReceiveCommand> accepted) {
        try {
            for (ReceiveCommand cmd : accepted) {
                writer.record(repo, pack.getRepository(), cmd.getRefName(), cmd.getNewId(), pusher);
            }
        } catch (IOException | RuntimeException e) {
            log.error("push event not recorded yet repo={} pusher={}: {}; reconciling the repository's refs until "
                    + "it is", repo.fullName(), pusher, e.toString());
            pack.sendMessage("Procurator: your push is stored, but its push event could not be recorded yet ("
                    + e.getClass().getSimpleName() + "); the forge records it as soon as its database answers.");
            reconciler.retry(repo);
        }
    }
}
