package dev.procurator.forge.repo;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.procurator.common.error.ApiException;

/** What every form post of the forge's pages does first and last. */
public final class FormPosts {

    private FormPosts() {
    }

    /**
     * Browsers resend Basic credentials on cross-site form posts, so every form post must come from one of the
     * forge's own pages: its Origin (or, failing that, Referer) must name this host.
     */
    public static void requireSameOrigin(HttpServletRequest request) {
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

    /** Runs a form action; its validation error is shown on the page it redirects to. */
    public static void attempt(RedirectAttributes flash, String done, Runnable action) {
        try {
            action.run();
            flash.addFlashAttribute("notice", done);
        } catch (ApiException e) {
            flash.addFlashAttribute("problem", e.getMessage());
        }
    }
}
