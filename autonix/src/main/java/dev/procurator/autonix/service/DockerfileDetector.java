package dev.procurator.autonix.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import dev.procurator.autonix.scan.ParsedFiles;
import dev.procurator.autonix.scan.RepositoryFiles;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A Dockerfile (or Containerfile) describes one service: EXPOSE gives its ports, CMD/ENTRYPOINT its command. */
final class DockerfileDetector {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Base image name fragments → runtime; the last FROM is the image that runs. */
    private static final Map<String, String> RUNTIMES = Map.of(
            "temurin", "jvm", "openjdk", "jvm", "corretto", "jvm", "java", "jvm",
            "node", "node", "python", "python", "golang", "go", "ruby", "ruby", "nginx", "nginx");

    List<ServiceCandidate> detect(ParsedFiles files, String repositoryName) {
        List<ServiceCandidate> candidates = new ArrayList<>();
        for (String name : List.of("Dockerfile", "Containerfile")) {
            for (String path : files.files().named(name)) {
                files.text(path).ifPresent(text -> candidates.add(parse(files, path, text, repositoryName)));
            }
        }
        return candidates;
    }

    private ServiceCandidate parse(ParsedFiles files, String path, String text, String repositoryName) {
        TreeSet<Integer> ports = new TreeSet<>();
        String baseImage = null;
        String entrypoint = null;
        String cmd = null;
        for (String instruction : instructions(text)) {
            String[] parts = instruction.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String arguments = parts.length > 1 ? parts[1].strip() : "";
            switch (keyword) {
                case "FROM" -> baseImage = arguments.split("\\s+")[0];
                case "EXPOSE" -> exposedPorts(files, path, arguments, ports);
                case "ENTRYPOINT" -> entrypoint = commandLine(arguments);
                case "CMD" -> cmd = commandLine(arguments);
                default -> { }
            }
        }
        String command = entrypoint == null ? cmd : cmd == null ? entrypoint : entrypoint + " " + cmd;
        String dir = RepositoryFiles.directoryOf(path);
        return new ServiceCandidate(ServiceCandidate.Kind.DOCKERFILE, DirectoryNames.serviceName(dir, repositoryName),
                dir, path, command, List.copyOf(ports), null, runtimeOf(baseImage));
    }

    private static void exposedPorts(ParsedFiles files, String path, String arguments, TreeSet<Integer> ports) {
        for (String token : arguments.split("\\s+")) {
            if (token.endsWith("/udp")) {
                continue; // a TCP or HTTP health check cannot probe it
            }
            var port = Ports.parse(token);
            if (port.isPresent()) {
                ports.add(port.getAsInt());
            } else {
                files.warnings().add(path, "EXPOSE " + token + " is not a port number (build arguments are not resolved)");
            }
        }
    }

    /** Logical instructions: comments dropped, backslash continuations joined. */
    static List<String> instructions(String text) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\\R")) {
            String stripped = line.strip();
            if (stripped.startsWith("#")) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped.substring(0, stripped.length() - 1).stripTrailing()).append(' ');
                continue;
            }
            current.append(stripped);
            if (!current.isEmpty()) {
                instructions.add(current.toString().strip());
            }
            current.setLength(0);
        }
        if (!current.isEmpty()) {
            instructions.add(current.toString().strip());
        }
        return instructions;
    }

    /** The exec form ["java", "-jar", "app.jar"] as one line; the shell form as written. */
    static String commandLine(String arguments) {
        if (arguments.startsWith("[")) {
            try {
                JsonNode array = JSON.readTree(arguments);
                if (array.isArray()) {
                    List<String> words = new ArrayList<>();
                    array.forEach(word -> words.add(word.asString()));
                    return String.join(" ", words);
                }
            } catch (JacksonException e) {
                // Docker itself runs a malformed exec form as a shell command; so do we.
            }
        }
        return arguments.isEmpty() ? null : arguments;
    }

    static String runtimeOf(String baseImage) {
        if (baseImage == null) {
            return null;
        }
        String image = baseImage.toLowerCase(Locale.ROOT);
        String name = image.substring(image.lastIndexOf('/') + 1);
        return RUNTIMES.entrySet().stream()
                .filter(entry -> name.contains(entry.getKey()))
                .map(Map.Entry::getValue)
                .sorted() // deterministic when two fragments match
                .findFirst()
                .orElse(null);
    }
}
