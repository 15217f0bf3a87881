package dev.procurator.schema.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the README example working, over TCP and a unix socket. */
class MasterExampleTest {
    @TempDir
    Path tmp;

    @Test
    void exampleRunsOverTcp() throws Exception {
        assertEquals("worker-host-1 notified of 2, runs web from /nix/store/abc-web", MasterExample.run("127.0.0.1:0"));
    }

    @Test
    void exampleRunsOverAUnixSocket() throws Exception {
        assertEquals("worker-host-1 notified of 2, runs web from /nix/store/abc-web",
                MasterExample.run("unix:" + tmp.resolve("master.sock")));
    }
}
