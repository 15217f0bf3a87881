package dev.procurator.cache.protocol;

import java.io.IOException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import dev.procurator.common.error.ErrorResponses;

/**
 * Errors Tomcat raises before any servlet runs (a malformed request line, an illegal URI) as the same JSON body as
 * every other error, instead of Tomcat's HTML page.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.resetBuffer();
            ErrorResponses.write(response, status, status < 500 ? "bad_request" : "internal_error",
                    status < 500 ? "The request is malformed (HTTP " + status + ")." : "The server failed (HTTP " + status + ").");
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone; nothing to report to
        }
    }
}
