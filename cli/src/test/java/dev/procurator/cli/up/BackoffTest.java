package dev.procurator.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration QUICK_CRASH = Duration.ofSeconds(2);

    @Test
    void doublesUpToTheMaximum() {
        Backoff backoff = Backoff.standard();

        assertThat(backoff.afterCrash(QUICK_CRASH)).hasSeconds(1);
        assertThat(backoff.afterCrash(QUICK_CRASH)).hasSeconds(2);
        assertThat(backoff.afterCrash(QUICK_CRASH)).hasSeconds(4);
        assertThat(backoff.afterCrash(QUICK_CRASH)).hasSeconds(8);
        assertThat(backoff.afterCrash(QUICK_CRASH)).hasSeconds(16);
        assertThat(backoff.afterCrash(QUICK_CRASH)).hasSeconds(30);
        assertThat(backoff.afterCrash(QUICK_CRASH)).hasSeconds(30);
    }

    @Test
    void startsOverAfterAStableRun() {
        Backoff backoff = Backoff.standard();
        backoff.afterCrash(QUICK_CRASH);
        backoff.afterCrash(QUICK_CRASH);
        backoff.afterCrash(QUICK_CRASH);

        assertThat(backoff.afterCrash(Duration.ofMinutes(5))).hasSeconds(1);
        assertThat(backoff.afterCrash(QUICK_CRASH)).hasSeconds(2);
    }
}
