package dev.procurator.ci.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How the dashboard writes times and durations: local time to the second, durations as 1m 05s. */
final class Display {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Display() {
    }

    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    static String duration(Long millis) {
        if (millis == null) {
            return "";
        }
        Duration d = Duration.ofMillis(millis);
        if (d.toMinutes() > 0) {
            return String.format("%dm %02ds", d.toMinutes(), d.toSecondsPart());
        }
        return String.format("%.1fs", millis / 1000.0);
    }
}
