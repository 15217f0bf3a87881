package dev.procurator.autonix.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.w3c.dom.Document;
import org.w3c.dom.Node;

import dev.procurator.autonix.scan.ParsedFiles;
import dev.procurator.autonix.scan.RepositoryFiles;

/**
 * A Spring Boot application: a Maven or Gradle module that applies the Spring Boot build plugin (a library that merely
 * depends on Spring Boot does not) and has main sources. Its port is
 * {@code server.port} from application.properties or application.yml (8080 when unset); with the actuator on the
 * classpath it serves /actuator/health.
 */
final class SpringBootDetector {

    private static final String MAVEN_PLUGIN = "spring-boot-maven-plugin";
    /** plugins { id("org.springframework.boot") }, id 'org.springframework.boot', apply plugin: '...' */
    private static final Pattern GRADLE_PLUGIN =
            Pattern.compile("(?:\\bid|apply\\s+plugin:)\\s*\\(?\\s*['\"]org\\.springframework\\.boot['\"]");
    private static final int DEFAULT_PORT = 8080;
    private static final String ACTUATOR_HEALTH = "/actuator/health";
    /** "8081", or a placeholder with a default such as "${PORT:8081}". */
    private static final Pattern PORT_VALUE = Pattern.compile("^(?:\\$\\{[^:}]+:)?(\\d{1,5})}?$");

    List<ServiceCandidate> detect(ParsedFiles files, String repositoryName) {
        List<ServiceCandidate> candidates = new ArrayList<>();
        RepositoryFiles repo = files.files();
        for (String buildFile : buildFiles(repo)) {
            String dir = RepositoryFiles.directoryOf(buildFile);
            boolean maven = buildFile.endsWith("pom.xml");
            Optional<String> text = files.text(buildFile);
            if (text.isEmpty() || !appliesBootPlugin(text.get(), maven) || !hasMainSources(repo, dir)) {
                continue;
            }
            Optional<Document> pom = maven ? files.xml(buildFile) : Optional.empty();
            if (maven && pom.isEmpty()) {
                continue; // malformed (ParsedFiles warned): no guessing a service from it
            }
            if (pom.isPresent() && "pom".equals(childText(pom.get(), "packaging"))) {
                continue; // an aggregator, not an application
            }
            String name = pom.map(document -> childText(document, "artifactId"))
                    .map(ServiceNames::toDnsLabel)
                    .orElse(DirectoryNames.serviceName(dir, repositoryName));
            int port = serverPort(files, dir);
            Service.HttpEndpoint health = text.get().contains("spring-boot-starter-actuator")
                    ? new Service.HttpEndpoint(port, ACTUATOR_HEALTH) : null;
            candidates.add(new ServiceCandidate(ServiceCandidate.Kind.FRAMEWORK, name, dir, buildFile,
                    runCommand(repo, dir, maven), List.of(port), health, "jvm"));
        }
        return candidates;
    }

    private static boolean appliesBootPlugin(String buildFile, boolean maven) {
        return maven ? buildFile.contains(MAVEN_PLUGIN) : GRADLE_PLUGIN.matcher(buildFile).find();
    }

    private static List<String> buildFiles(RepositoryFiles repo) {
        List<String> buildFiles = new ArrayList<>(repo.named("pom.xml"));
        buildFiles.addAll(repo.named("build.gradle"));
        buildFiles.addAll(repo.named("build.gradle.kts"));
        return buildFiles;
    }

    private static boolean hasMainSources(RepositoryFiles repo, String dir) {
        String prefix = RepositoryFiles.resolve(dir, "src/main/");
        return repo.paths().stream().anyMatch(path -> path.startsWith(prefix));
    }

    private static String runCommand(RepositoryFiles repo, String dir, boolean maven) {
        if (maven) {
            return (repo.exists(RepositoryFiles.resolve(dir, "mvnw")) ? "./mvnw" : "mvn") + " spring-boot:run";
        }
        return (repo.exists(RepositoryFiles.resolve(dir, "gradlew")) ? "./gradlew" : "gradle") + " bootRun";
    }

    private static int serverPort(ParsedFiles files, String dir) {
        String resources = RepositoryFiles.resolve(dir, "src/main/resources/");
        String properties = resources + "application.properties";
        String yaml = resources + "application.yml";
        Optional<String> value = Optional.empty();
        if (files.files().exists(properties)) {
            value = files.text(properties).flatMap(SpringBootDetector::portProperty);
        } else if (files.files().exists(yaml)) {
            value = files.yaml(yaml).flatMap(SpringBootDetector::portFromYaml);
        }
        if (value.isEmpty()) {
            return DEFAULT_PORT;
        }
        Matcher matcher = PORT_VALUE.matcher(value.get().strip());
        if (matcher.matches()) {
            var port = Ports.parse(matcher.group(1));
            if (port.isPresent()) {
                return port.getAsInt();
            }
        }
        files.warnings().add(dir, "server.port \"" + value.get() + "\" is not a port number; assuming " + DEFAULT_PORT);
        return DEFAULT_PORT;
    }

    private static Optional<String> portProperty(String text) {
        return text.lines()
                .map(String::strip)
                .filter(line -> line.matches("server\\.port\\s*[=:].*"))
                .map(line -> line.substring(line.indexOf(line.contains("=") ? '=' : ':') + 1).strip())
                .reduce((first, last) -> last); // the last assignment wins, as in java.util.Properties
    }

    private static Optional<String> portFromYaml(Object document) {
        if (document instanceof Map<?, ?> root && root.get("server") instanceof Map<?, ?> server
                && server.get("port") != null) {
            return Optional.of(String.valueOf(server.get("port")));
        }
        return Optional.empty();
    }

    /** Text of a direct child of the root element (so a parent's or dependency's artifactId is not picked). */
    private static String childText(Document document, String name) {
        for (Node child = document.getDocumentElement().getFirstChild(); child != null;
             child = child.getNextSibling()) {
            if (child.getNodeType() == Node.ELEMENT_NODE && name.equals(child.getNodeName())) {
                return child.getTextContent().strip();
            }
        }
        return null;
    }
}
