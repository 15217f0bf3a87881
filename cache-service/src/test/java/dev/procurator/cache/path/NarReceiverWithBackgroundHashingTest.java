package dev.procurator.cache.path;

/** Every receiver test again, with the hashing in the background (as for big uploads). */
class NarReceiverWithBackgroundHashingTest extends NarReceiverTest {

    NarReceiverWithBackgroundHashingTest() {
        hashingExecutor = task -> Thread.ofVirtual().name("test-hashing").start(task);
    }
}
