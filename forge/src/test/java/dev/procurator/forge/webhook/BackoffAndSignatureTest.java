package dev.procurator.forge.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffAndSignatureTest {

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheCap() {
        Duration initial = Duration.ofSeconds(5);
        Duration max = Duration.ofMinutes(1);
        assertThat(WebhookDelivery.backoff(1, initial, max)).isEqualTo(Duration.ofSeconds(5));
        assertThat(WebhookDelivery.backoff(2, initial, max)).isEqualTo(Duration.ofSeconds(10));
        assertThat(WebhookDelivery.backoff(4, initial, max)).isEqualTo(Duration.ofSeconds(40));
        assertThat(WebhookDelivery.backoff(5, initial, max)).isEqualTo(max);
        assertThat(WebhookDelivery.backoff(200, initial, max)).isEqualTo(max);
    }

    @Test
    void signatureIsGitHubsSha256HmacOfTheBody() {
        // The example from GitHub's "Validating webhook deliveries" documentation.
        assertThat(Signatures.sign("It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }
}
