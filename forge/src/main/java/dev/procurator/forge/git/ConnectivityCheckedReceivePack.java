package dev.procurator.forge.git;

import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ConnectivityChecker;
import org.eclipse.jgit.transport.ReceivePack;

/** JGit's ReceivePack with its connectivity checker replaced (JGit has a field for it but no setter). */
final class ConnectivityCheckedReceivePack extends ReceivePack {

    ConnectivityCheckedReceivePack(Repository db, ConnectivityChecker checker) {
        super(db);
        this.connectivityChecker = checker;
    }
}
