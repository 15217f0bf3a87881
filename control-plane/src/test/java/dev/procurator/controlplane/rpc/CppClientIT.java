package dev.procurator.controlplane.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.testing.RequiresTool;
import dev.procurator.controlplane.testing.ControlPlaneInstance;
import dev.procurator.controlplane.testing.Http;
import tools.jackson.databind.JsonNode;

/**
 * A C++ client of the schema (src/test/cpp/client.c++ on Debian's libcapnp-dev, built from the real .capnp files
 * as the schema module's interop peer is) calls the running control plane.
 */
@RequiresTool({"capnp", "g++", "pkg-config"})
class CppClientIT {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path OUT = MODULE.resolve("target/cpp-client");

    @TempDir
    Path dataDir;

    @Test
    void cppClientReadsStatusAndIsRefusedABadBlueprint() throws Exception {
        Path client = build();
        try (ControlPlaneInstance plane = ControlPlaneInstance.start(dataDir)) {
            await().atMost(Duration.ofSeconds(20)).until(plane::isLeader);
            List<String> lines = run(List.of(client.toString(), plane.rpcAddress()));

            assertThat(lines.get(0)).startsWith("status leader=").contains("leaderRpc=localhost:")
                    .contains("workers=0").contains("sources=0");
            assertThat(lines.get(1)).startsWith("leader isLeader=true rpc=localhost:");
            assertThat(lines.get(2)).startsWith("bad refused").contains("invalid: ").contains("vms.cpp-web.cpu");
            assertThat(lines.get(3)).isEqualTo("good number=1 changed=true");

            JsonNode cluster = new Http(plane.httpUrl()).get("/api/v1/cluster").body();
            assertThat(cluster.get("sources")).hasSize(1);
            assertThat(cluster.get("sources").get(0).get("repo").asText()).isEqualTo("acme/cpp");
            assertThat(cluster.get("vms").get(0).get("state").asText()).isEqualTo("unplaced");
        }
    }

    private static synchronized Path build() throws IOException, InterruptedException {
        Files.createDirectories(OUT);
        Path schemas = MODULE.resolve("../schema/src/main/capnp").normalize();
        for (String schema : List.of("common.capnp", "worker.capnp", "master.capnp")) {
            Files.copy(schemas.resolve(schema), OUT.resolve(schema), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        run(List.of("capnp", "compile", "-I" + MODULE.resolve("../capnp/src/main/capnp").normalize(), "-oc++",
                "common.capnp", "worker.capnp", "master.capnp"));
        String flags = String.join("\n", run(List.of("pkg-config", "--cflags", "--libs", "capnp-rpc"))).trim();
        List<String> gpp = new ArrayList<>(List.of("g++", "-std=c++17", "-O1", "-I.",
                MODULE.resolve("src/test/cpp/client.c++").toString(), "common.capnp.c++", "worker.capnp.c++",
                "master.capnp.c++", "-o", "client"));
        gpp.addAll(List.of(flags.split("\\s+")));
        run(gpp);
        return OUT.resolve("client");
    }

    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(OUT.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(command + " failed:\n" + output);
        }
        return output.lines().toList();
    }
}
