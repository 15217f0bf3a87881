package dev.procurator.autonix.service;

import java.util.OptionalInt;

final class Ports {

    private Ports() {
    }

    /** A TCP port number from text such as "8080" or "8080/tcp"; empty for anything else (variables, UDP, ranges). */
    static OptionalInt parse(String text) {
        String value = text.strip();
        if (value.endsWith("/tcp")) {
            value = value.substring(0, value.length() - 4);
        }
        if (!value.matches("\\d{1,5}")) {
            return OptionalInt.empty();
        }
        int port = Integer.parseInt(value);
        return port >= 1 && port <= 65535 ? OptionalInt.of(port) : OptionalInt.empty();
    }
}
