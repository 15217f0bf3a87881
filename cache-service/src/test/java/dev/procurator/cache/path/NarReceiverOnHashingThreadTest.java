package dev.procurator.cache.path;

/** Every receiver test again, with the hashing on a thread of its own (as for big uploads). */
class NarReceiverOnHashingThreadTest extends NarReceiverTest {

    NarReceiverOnHashingThreadTest() {
        hashingThread = true;
    }
}
