package dev.procurator.common.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    static final String SECRET = "It's a Secret to Everybody";
    static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void signsAsGitHubDoes() {
        // The example from GitHub's "Validating webhook deliveries" documentation.
        assertThat(WebhookSignature.sign(SECRET, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void verifiesOnlyTheBodysSignatureUnderTheSecret() {
        assertThat(WebhookSignature.verifies(SECRET, BODY, SIGNATURE)).isTrue();
        assertThat(WebhookSignature.verifies(SECRET, BODY, " " + SIGNATURE + "\n")).as("header whitespace").isTrue();
        assertThat(WebhookSignature.verifies("another secret", BODY, SIGNATURE)).isFalse();
        assertThat(WebhookSignature.verifies(SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), SIGNATURE))
                .isFalse();
        assertThat(WebhookSignature.verifies(SECRET, BODY, SIGNATURE.substring(7))).as("without sha256=").isFalse();
        assertThat(WebhookSignature.verifies(SECRET, BODY, null)).isFalse();
    }
}
