package dev.procurator.forge.git;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.http.server.GitSmartHttpTools;
import org.eclipse.jgit.http.server.UploadPackErrorHandler;
import org.eclipse.jgit.transport.ServiceMayNotContinueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure of a git request reaches the user through the git protocol: an {@code ERR} packet with status 200,
 * which git prints as {@code remote error: ...}, where JGit's default answers a bare HTTP 500 that git reports as
 * {@code expected 'acknowledgments'}, a hang-up or "returned error: 500". Once a pack is streaming the response is
 * committed, and JGit itself reports on the side-band error channel.
 */
final class GitErrors implements UploadPackErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(GitErrors.class);

    @Override
    public void upload(HttpServletRequest req, HttpServletResponse rsp, UploadPackRunnable r) throws IOException {
        try {
            r.upload();
        } catch (ServiceMayNotContinueException e) {
            if (!e.isOutput()) {
                send(req, rsp, e.getMessage());
            }
        } catch (PackProtocolException e) {
            log.info("fetch refused path={}: {}", req.getRequestURI(), e.getMessage());
            send(req, rsp, e.getMessage());
        } catch (IOException | RuntimeException | Error e) {
            internal(req, rsp, e);
        }
    }

    /** Logs an unexpected failure and tells the git client, without internals, that it happened. */
    static void internal(HttpServletRequest req, HttpServletResponse rsp, Throwable e) throws IOException {
        log.error("git request failed path={}", req.getRequestURI(), e);
        send(req, rsp, "internal error while serving this request (" + e.getClass().getSimpleName()
                + "); the forge's log has the details");
    }

    private static void send(HttpServletRequest req, HttpServletResponse rsp, String message) throws IOException {
        if (!rsp.isCommitted()) {
            rsp.reset();
            GitSmartHttpTools.sendError(req, rsp, HttpServletResponse.SC_OK, message);
        }
    }
}
