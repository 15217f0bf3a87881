package dev.procurator.forge.git;

import java.io.IOException;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * When two pushes race for one branch, the loser's command names an old value the branch no longer has; JGit says
 * "invalid old id sent". This turns it into what the user must do: fetch first.
 */
final class StaleRefMessages {

    private StaleRefMessages() {
    }

    static void explain(ReceivePack pack) {
        for (ReceiveCommand cmd : pack.getAllCommands()) {
            if (cmd.getResult() != ReceiveCommand.Result.REJECTED_OTHER_REASON) {
                continue;
            }
            ObjectId current = currentValue(pack, cmd.getRefName());
            if (!current.equals(cmd.getOldId())) {
                String message = "fetch first: " + cmd.getRefName() + " moved to " + current.abbreviate(10).name()
                        + " while you pushed; fetch, integrate and push again";
                cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, message);
                pack.sendMessage(message);
            }
        }
    }

    private static ObjectId currentValue(ReceivePack pack, String refName) {
        try {
            Ref ref = pack.getRepository().exactRef(refName);
            return ref == null || ref.getObjectId() == null ? ObjectId.zeroId() : ref.getObjectId();
        } catch (IOException e) {
            return ObjectId.zeroId();
        }
    }
}
