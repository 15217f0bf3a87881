package dev.procurator.ci.webhook;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.ci.pipeline.PipelineUrls;
import dev.procurator.common.auth.Callers;

/**
 * {@code GET /api/v1/webhook} (admin): where and how the forge must deliver pushes — the hook {@code procurator repo
 * connect} creates on a repository, secret included, so that nobody copies a secret by hand.
 */
@RestController
class WebhookInfoController {

    /** A forge hook definition, in the forge's own request shape. */
    record Hook(String url, String secret, List<String> events) {
    }

    private final WebhookSecret secret;
    private final PipelineUrls urls;

    WebhookInfoController(WebhookSecret secret, PipelineUrls urls) {
        this.secret = secret;
        this.urls = urls;
    }

    @GetMapping("/api/v1/webhook")
    Hook webhook(HttpServletRequest request) {
        Callers.requireScope(request, "admin");
        return new Hook(urls.webhook(), secret.value(), List.of("push"));
    }
}
