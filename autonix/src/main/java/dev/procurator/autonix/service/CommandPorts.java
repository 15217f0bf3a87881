package dev.procurator.autonix.service;

import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ports named on a start command line: "--port 8000", "-p 3000", "PORT=4000 node ...", "--bind 0.0.0.0:8000". */
final class CommandPorts {

    private static final Pattern PORT = Pattern.compile(
            "(?:--port[= ]|-p\\s+|\\bPORT=|(?:0\\.0\\.0\\.0|127\\.0\\.0\\.1|localhost|\\[::]):)(\\d{1,5})\\b");

    private CommandPorts() {
    }

    static List<Integer> find(String command) {
        if (command == null) {
            return List.of();
        }
        TreeSet<Integer> ports = new TreeSet<>();
        Matcher matcher = PORT.matcher(command);
        while (matcher.find()) {
            Ports.parse(matcher.group(1)).ifPresent(ports::add);
        }
        return List.copyOf(ports);
    }
}
