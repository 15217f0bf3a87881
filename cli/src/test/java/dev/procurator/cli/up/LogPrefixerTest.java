package dev.procurator.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LogPrefixerTest {

    private final List<String> names = List.of("forge", "secret-manager", "ci-service");

    @Test
    void padsEveryNameToTheLongestWithoutColour() {
        LogPrefixer prefixer = new LogPrefixer(names, false);

        assertThat(prefixer.format("forge", "Started")).isEqualTo("forge          | Started");
        assertThat(prefixer.format("secret-manager", "x")).isEqualTo("secret-manager | x");
        assertThat(prefixer.format(LogPrefixer.SELF, "up")).isEqualTo("procurator     | up");
    }

    @Test
    void givesEachServiceItsOwnColourAndResetsBeforeTheLine() {
        LogPrefixer prefixer = new LogPrefixer(names, true);

        String forge = prefixer.format("forge", "line");
        String ci = prefixer.format("ci-service", "line");

        assertThat(forge).startsWith("\u001b[36m").contains("forge          | \u001b[0m").endsWith("line");
        assertThat(ci).startsWith("\u001b[32m");
        assertThat(prefixer.format(LogPrefixer.SELF, "x")).startsWith("\u001b[1m");
    }

    @Test
    void noColourWhenNoColorIsSetOrTheTerminalIsDumb() {
        assertThat(LogPrefixer.colourWanted(Map.of("NO_COLOR", "1"))).isFalse();
        assertThat(LogPrefixer.colourWanted(Map.of("TERM", "dumb"))).isFalse();
        // Under the test runner standard output is a pipe, not a terminal.
        assertThat(LogPrefixer.colourWanted(Map.of())).isFalse();
    }
}
