package dev.procurator.autonix.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;

import dev.procurator.autonix.scan.ParsedFiles;
import dev.procurator.autonix.scan.RepositoryFiles;

/**
 * docker-compose / compose files: one service per entry of "services". Ports are the container-side ones (what the
 * process listens on inside its VM), from "ports" (short "host:container" and long {target: ...} syntax) and
 * "expose".
 */
final class ComposeDetector {

    static final List<String> FILE_NAMES =
            List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml");

    List<ServiceCandidate> detect(ParsedFiles files) {
        List<ServiceCandidate> candidates = new ArrayList<>();
        for (String name : FILE_NAMES) {
            for (String path : files.files().named(name)) {
                files.yaml(path).ifPresent(document -> parse(files, path, document, candidates));
            }
        }
        return candidates;
    }

    private static void parse(ParsedFiles files, String path, Object document, List<ServiceCandidate> candidates) {
        if (!(document instanceof Map<?, ?> root) || !(root.get("services") instanceof Map<?, ?> services)) {
            files.warnings().add(path, "no \"services\" mapping: not a compose file this analyzer understands");
            return;
        }
        for (Map.Entry<?, ?> entry : services.entrySet()) {
            String name = String.valueOf(entry.getKey());
            if (!(entry.getValue() instanceof Map<?, ?> service)) {
                files.warnings().add(path, "service \"" + name + "\" is not a mapping: ignored");
                continue;
            }
            candidates.add(candidate(files, path, name, service));
        }
    }

    private static ServiceCandidate candidate(ParsedFiles files, String path, String name, Map<?, ?> service) {
        String context = buildContext(service.get("build"));
        String dir = context == null ? null : normalise(RepositoryFiles.resolve(RepositoryFiles.directoryOf(path), context));
        TreeSet<Integer> ports = new TreeSet<>();
        listOf(service.get("ports")).forEach(port -> containerPort(port).ifPresentOrElse(ports::add,
                () -> files.warnings().add(path, "service \"" + name + "\": port " + port + " not understood")));
        listOf(service.get("expose")).forEach(port -> Ports.parse(String.valueOf(port)).ifPresent(ports::add));
        Object image = service.get("image");
        String runtime = context == null && image != null ? "image:" + image : null;
        return new ServiceCandidate(ServiceCandidate.Kind.COMPOSE, ServiceNames.toDnsLabel(name), dir, path,
                commandOf(service.get("command")), List.copyOf(ports), null, runtime);
    }

    /** "8080", "8080:80", "127.0.0.1:8080:80/tcp", 80, or {target: 80, published: 8080}. */
    static OptionalInt containerPort(Object port) {
        if (port instanceof Map<?, ?> longSyntax) {
            if ("udp".equals(longSyntax.get("protocol"))) {
                return OptionalInt.empty();
            }
            return Ports.parse(String.valueOf(longSyntax.get("target")));
        }
        String text = String.valueOf(port);
        if (text.endsWith("/udp")) {
            return OptionalInt.empty();
        }
        return Ports.parse(text.substring(text.lastIndexOf(':') + 1));
    }

    private static String buildContext(Object build) {
        if (build instanceof String context) {
            return context;
        }
        if (build instanceof Map<?, ?> map) {
            return map.get("context") == null ? "." : String.valueOf(map.get("context"));
        }
        return null;
    }

    private static String commandOf(Object command) {
        if (command instanceof List<?> words) {
            return String.join(" ", words.stream().map(String::valueOf).toList());
        }
        return command == null ? null : String.valueOf(command);
    }

    private static List<?> listOf(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    /** "./api" → "api", "a/./b/" → "a/b", "." → "."; a context outside the repository stays as written. */
    static String normalise(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.getLast().equals("..")) {
                parts.removeLast();
            } else {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? "." : String.join("/", parts);
    }
}
