package dev.procurator.forge.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

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
}
