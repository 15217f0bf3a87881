package dev.procurator.forge.ui;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;

import dev.procurator.common.error.ApiException;

/**
 * Browsers resend Basic credentials on cross-site form posts, so every UI form post must come from one of the
 * forge's own pages: its Origin (or, failing that, Referer) must name this host.
 */
final class SameOrigin {

    private SameOrigin() {
    }

    static void require(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null || origin.equals("null")) {
            origin = request.getHeader("Referer");
        }
        if (origin == null) {
            return; // not a browser (curl, scripts): no ambient credentials to abuse
        }
        String host = request.getHeader("Host");
        try {
            URI uri = URI.create(origin);
            String authority = uri.getRawAuthority();
            if (host != null && host.equalsIgnoreCase(authority)) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw ApiException.forbidden("Form posts must come from the forge's own pages.");
    }
}
