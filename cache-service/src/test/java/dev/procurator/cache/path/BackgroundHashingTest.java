package dev.procurator.cache.path;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.procurator.cache.nix.NixHash;

/** The receiving thread never waits for the hashing: it learns that the hashing is behind, and when it caught up. */
class BackgroundHashingTest {

    @Test
    void saysWhenItIsBehindAndResumesOnceItCaughtUp() throws Exception {
        Runnable[] hashingTask = new Runnable[1];
        BackgroundHashing hashing = new BackgroundHashing(task -> hashingTask[0] = task); // not running yet
        MessageDigest digest = NixHash.sha256();
        byte[] bytes = new byte[(BackgroundHashing.IN_FLIGHT + 4) * 128 * 1024];
        new Random(1).nextBytes(bytes);

        hashing.update(digest, ByteBuffer.wrap(bytes)); // returns at once, however far behind
        assertThat(hashing.behind()).isTrue();
        AtomicInteger resumed = new AtomicInteger();
        CountDownLatch resumedOnce = new CountDownLatch(1);
        hashing.whenCaughtUp(() -> {
            resumed.incrementAndGet();
            resumedOnce.countDown();
        });
        assertThat(resumed).hasValue(0);

        Thread.ofVirtual().start(hashingTask[0]);
        assertThat(resumedOnce.await(10, TimeUnit.SECONDS)).isTrue();
        hashing.finish().get(10, TimeUnit.SECONDS);
        assertThat(hashing.behind()).isFalse();
        assertThat(resumed).hasValue(1);
        assertThat(digest.digest()).isEqualTo(NixHash.sha256().digest(bytes));
    }

    @Test
    void resumesAtOnceWhenNotBehind() {
        BackgroundHashing hashing = new BackgroundHashing(task -> Thread.ofVirtual().start(task));
        AtomicInteger resumed = new AtomicInteger();
        hashing.whenCaughtUp(resumed::incrementAndGet);
        assertThat(resumed).hasValue(1);
        hashing.close();
    }
}
