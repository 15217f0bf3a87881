package dev.procurator.worker.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogTest {

    @TempDir
    Path dir;

    @Test
    void rotatesAtItsSizeKeepingAFixedNumberOfFiles() throws Exception {
        ConsoleLog log = new ConsoleLog(dir, 100, 2);
        for (int i = 0; i < 50; i++) {
            write(log, String.format("line %02d%n", i));    // 8 bytes each: 400 bytes in all
        }
        assertThat(Files.size(dir.resolve("console.log"))).isLessThanOrEqualTo(100);
        assertThat(dir.resolve("console.log.1")).exists();
        assertThat(dir.resolve("console.log.2")).exists();
        assertThat(dir.resolve("console.log.3")).doesNotExist();
        ConsoleLog.Tail tail = log.tail(5);
        assertThat(tail.lines()).containsExactly("line 45", "line 46", "line 47", "line 48", "line 49");
        assertThat(tail.truncated()).isTrue();
        ConsoleLog.Tail all = log.tail(1000);
        assertThat(all.lines()).hasSizeLessThan(50).endsWith("line 49");
        assertThat(all.lines().get(0)).startsWith("line ");
    }

    @Test
    void followersGetCompleteLinesAsTheyArrive() {
        ConsoleLog log = new ConsoleLog(dir, 1 << 20, 3);
        List<String> seen = new ArrayList<>();
        Runnable unfollow = log.follow(seen::add);
        write(log, "par");
        assertThat(seen).isEmpty();
        write(log, "tial\r\nnext\n");
        assertThat(seen).containsExactly("partial", "next");
        unfollow.run();
        write(log, "after\n");
        assertThat(seen).hasSize(2);
        assertThat(log.tail(10).lines()).containsExactly("partial", "next", "after");
        assertThat(log.tail(10).truncated()).isFalse();
    }

    @Test
    void notesOfTheAgentAreMarked() {
        ConsoleLog log = new ConsoleLog(dir, 1 << 20, 3);
        log.note("booted x");
        assertThat(log.tail(1).lines()).containsExactly("[procurator] booted x");
    }

    private static void write(ConsoleLog log, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        log.append(bytes, bytes.length);
    }
}
