package dev.procurator.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class LogFilterTest {

    private static List<String> shown(LogFilter filter, List<String> lines) {
        List<String> shown = new ArrayList<>();
        for (String line : lines) {
            String toPrint = filter.forTerminal(line);
            if (toPrint != null) {
                shown.add(toPrint);
            }
        }
        return shown;
    }

    @Test
    void showsWarningsAndErrorsWithTheLinesThatBelongToThem() {
        List<String> output = List.of(
                "12:00:00.001  INFO [           main] d.p.forge.ForgeApplication : Starting ForgeApplication",
                "12:00:00.002  INFO [           main] o.h.e.t.j.p.i.JtaPlatformInitiator : HHH000489: No JTA platform",
                "\tDatabase JDBC URL [jdbc:h2:file:/x/forge/db/forge]",
                "12:00:00.003  WARN [           main] o.s.b.w.s.c.ServletWebServerApplicationContext : refresh failed",
                "12:00:00.004 ERROR [           main] o.s.b.d.LoggingFailureAnalysisReporter   : ",
                "",
                "***************************",
                "APPLICATION FAILED TO START",
                "12:00:00.005  INFO [ionShutdownHook] com.zaxxer.hikari.HikariDataSource : Shutdown completed.");

        assertThat(shown(new LogFilter(false, "forge.log"), output)).containsExactly(output.get(3), output.get(4),
                "", "***************************", "APPLICATION FAILED TO START");
    }

    @Test
    void whatAProcessPrintsBeforeItsFirstLogEventIsShown() {
        List<String> output = List.of("Error: Unable to access jarfile /x/forge.jar",
                "OpenJDK 64-Bit Server VM warning: Options -Xverify:none are deprecated",
                "12:00:00.001  INFO [main] d.p.Demo : Starting", "after an info line");

        assertThat(shown(new LogFilter(false, "demo.log"), output)).containsExactly(output.get(0), output.get(1));
    }

    @Test
    void recognisesSpringBootsDefaultPatternToo() {
        List<String> output = List.of(
                "2026-01-05T12:00:00.001+01:00  INFO 4242 --- [forge] [main] d.p.Demo : Starting",
                "2026-01-05T12:00:00.002+01:00  WARN 4242 --- [forge] [main] d.p.Demo : careful");

        assertThat(shown(new LogFilter(false, "demo.log"), output)).containsExactly(output.get(1));
    }

    @Test
    void aLongStackTraceIsCutShortWithAPointerToTheLogFile() {
        List<String> output = new ArrayList<>(List.of("12:00:00.001 ERROR [main] d.p.Demo : boom"));
        IntStream.range(0, 100).forEach(i -> output.add("\tat dev.procurator.Demo.frame" + i + "(Demo.java)"));
        output.add("12:00:00.002 ERROR [main] d.p.Demo : boom again");

        List<String> shown = shown(new LogFilter(false, "/data/logs/demo.log"), output);

        assertThat(shown).hasSize(LogFilter.LINES_PER_EVENT + 2);
        assertThat(shown.get(LogFilter.LINES_PER_EVENT))
                .isEqualTo("... (the rest of this message is in /data/logs/demo.log)");
        assertThat(shown.getLast()).endsWith("boom again");
    }

    @Test
    void verboseShowsEverything() {
        List<String> output = List.of("12:00:00.001  INFO [main] d.p.Demo : Starting", "\tdetail",
                "12:00:00.002 DEBUG [main] d.p.Demo : more");

        assertThat(shown(new LogFilter(true, "demo.log"), output)).isEqualTo(output);
    }
}
