package dev.procurator.forge.git;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.GitProtocolConstants;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.ServiceMayNotContinueException;
import org.eclipse.jgit.transport.UploadPack;

/**
 * JGit's upload-pack with the fetch modes C git's serves beyond it: on protocol v0 it also advertises
 * {@code deepen-since}, {@code deepen-not} and {@code deepen-relative} (JGit parses the first two but does not say
 * so, and git then refuses {@code --shallow-since}/{@code --shallow-exclude}); it serves {@code deepen-relative}
 * ({@code git fetch --deepen}) by rewriting the request into one JGit serves, and answers a v0 request that only asks
 * for the new shallow boundary as C git does ({@link FetchRequestRewriter}).
 */
final class ForgeUploadPack extends UploadPack {

    ForgeUploadPack(Repository db) {
        super(db);
    }

    @Override
    public void sendAdvertisedRefs(RefAdvertiser adv, String serviceName)
            throws IOException, ServiceMayNotContinueException {
        // Only protocol v0 sends these: v2 implies them with its "shallow" fetch feature.
        adv.advertiseCapability(GitProtocolConstants.OPTION_DEEPEN_RELATIVE);
        adv.advertiseCapability("deepen-since");
        adv.advertiseCapability("deepen-not");
        super.sendAdvertisedRefs(adv, serviceName);
    }

    @Override
    public void uploadWithExceptionPropagation(InputStream input, OutputStream output, OutputStream messages)
            throws ServiceMayNotContinueException, IOException {
        FetchRequestRewriter.Request request = FetchRequestRewriter.rewrite(getRepository(), input);
        try {
            super.uploadWithExceptionPropagation(request.stream(), output, messages);
        } catch (EOFException e) {
            // git asked only for the new shallow boundary (deepen-since/deepen-not), which is written: as C git does.
            if (!request.endsAfterWants()) {
                throw e;
            }
        }
    }
}
