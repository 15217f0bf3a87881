package dev.procurator.ci.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookSecretTest {

    @Test
    void signsAsGitHubDocumentsItsSignature256() {
        // The example of GitHub's "Validating webhook deliveries" guide: the scheme the forge follows.
        assertThat(WebhookSecret.sign("It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }
}
