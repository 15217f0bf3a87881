package dev.procurator.autonix.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class ServiceParsingTest {

    @Test
    void composeContainerPortsInEverySyntax() {
        assertThat(ComposeDetector.containerPort("8080")).hasValue(8080);
        assertThat(ComposeDetector.containerPort("8080:80")).hasValue(80);
        assertThat(ComposeDetector.containerPort("127.0.0.1:8080:80/tcp")).hasValue(80);
        assertThat(ComposeDetector.containerPort(3000)).hasValue(3000);
        assertThat(ComposeDetector.containerPort(Map.of("target", 80, "published", 8080))).hasValue(80);
        assertThat(ComposeDetector.containerPort("53:53/udp")).isEqualTo(OptionalInt.empty());
        assertThat(ComposeDetector.containerPort("3000-3005:3000-3005")).isEqualTo(OptionalInt.empty());
    }

    @Test
    void composeBuildContextsAreNormalised() {
        assertThat(ComposeDetector.normalise("./api")).isEqualTo("api");
        assertThat(ComposeDetector.normalise("services/./api/")).isEqualTo("services/api");
        assertThat(ComposeDetector.normalise("services/../api")).isEqualTo("api");
        assertThat(ComposeDetector.normalise(".")).isEqualTo(".");
    }

    @Test
    void portsNamedOnCommandLines() {
        assertThat(CommandPorts.find("gunicorn app:app --bind 0.0.0.0:8000")).containsExactly(8000);
        assertThat(CommandPorts.find("PORT=4000 node server.js")).containsExactly(4000);
        assertThat(CommandPorts.find("vite preview --port=4173")).containsExactly(4173);
        assertThat(CommandPorts.find("serve -p 5000")).containsExactly(5000);
        assertThat(CommandPorts.find("node server.js")).isEmpty();
        assertThat(CommandPorts.find(null)).isEmpty();
    }

    @Test
    void dockerfileInstructionsJoinContinuationsAndSkipComments() {
        List<String> instructions = DockerfileDetector.instructions("""
                # comment
                FROM node:20
                RUN apt-get update \\
                    && apt-get install -y curl
                EXPOSE 3000
                """);

        assertThat(instructions).containsExactly("FROM node:20", "RUN apt-get update && apt-get install -y curl",
                "EXPOSE 3000");
        assertThat(DockerfileDetector.commandLine("[\"java\", \"-jar\", \"app.jar\"]")).isEqualTo("java -jar app.jar");
        assertThat(DockerfileDetector.commandLine("npm start")).isEqualTo("npm start");
        assertThat(DockerfileDetector.runtimeOf("eclipse-temurin:21-jre")).isEqualTo("jvm");
        assertThat(DockerfileDetector.runtimeOf("gcr.io/distroless/base")).isNull();
    }

    @Test
    void namesBecomeDnsLabels() {
        assertThat(ServiceNames.toDnsLabel("@acme/Store_Front")).isEqualTo("store-front");
        assertThat(ServiceNames.toDnsLabel("--api--")).isEqualTo("api");
        assertThat(ServiceNames.toDnsLabel("${evil}")).isEqualTo("evil");
        assertThat(ServiceNames.toDnsLabel("!!!")).isEqualTo("app");
        assertThat(ServiceNames.toDnsLabel("a".repeat(80))).hasSize(63);
    }
}
