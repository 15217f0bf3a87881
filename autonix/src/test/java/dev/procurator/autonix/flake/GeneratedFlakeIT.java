package dev.procurator.autonix.flake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.autonix.analysis.RepositoryAnalyzer;
import dev.procurator.autonix.testing.Fixtures;
import dev.procurator.common.testing.NixSandbox;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.testing.RequiresTool;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The generated flake is real Nix: the real nix evaluates it offline, through the cluster model it carries. */
@RequiresTool({"nix", "git"})
class GeneratedFlakeIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @Test
    void javaServiceBlueprintAndCiEvaluate() {
        Path repo = generateInto("java-service");

        JsonNode orders = eval(repo, ".#blueprintJSON").path("orders");
        assertThat(orders.path("cpu").asInt()).isEqualTo(2);
        assertThat(orders.path("memory").path("megabytes").asInt()).isEqualTo(1024);
        JsonNode health = orders.path("deployment").path("healthChecks").path(0);
        assertThat(health.path("type").asString()).isEqualTo("http");
        assertThat(health.path("port").asInt()).isEqualTo(8081);
        assertThat(health.path("path").asString()).isEqualTo("/actuator/health");
        assertThat(health.path("retries").asInt()).as("filled in by the cluster model").isEqualTo(3);
        assertThat(orders.path("deployment").path("strategy").path("type").asString()).isEqualTo("rolling");

        JsonNode ci = eval(repo, ".#procurator.ci");
        assertThat(ci.path("checks").path(0).path("command").asString()).isEqualTo("./mvnw -B verify");
        assertThat(ci.path("builds").path(0).path("command").asString()).isEqualTo("./mvnw -B -DskipTests package");
    }

    @Test
    void composeMonorepoHasOneVmPerServiceAndPassesFlakeCheck() {
        Path repo = generateInto("compose-monorepo");

        JsonNode blueprint = eval(repo, ".#blueprintJSON");
        assertThat(blueprint.propertyNames()).containsExactly("api", "cache", "db", "web", "worker");
        assertThat(blueprint.path("db").path("labels").path(0).asString()).isEqualTo("postgres");
        assertThat(blueprint.path("db").path("deployment").path("healthChecks").path(0).path("port").asInt())
                .isEqualTo(5432);
        assertThat(blueprint.path("worker").path("deployment").path("healthChecks").isEmpty()).isTrue();
        assertThat(nix().nix(repo, "flake", "check").exitCode()).isZero();
    }

    @Test
    void emptyRepositoryGivesAnEmptyBlueprint() {
        Path repo = generateInto("empty");

        assertThat(eval(repo, ".#blueprintJSON").isEmpty()).isTrue();
        assertThat(eval(repo, ".#procurator.ci").path("checks").isEmpty()).isTrue();
    }

    @Test
    void hostileNamesStillEvaluate() {
        Path repo = temp.resolve("hostile"); // nix refuses quotes in a flake path, so the hostile part is the content
        Fixtures.write(repo.resolve("docker-compose.yml"), """
                services:
                  "${evil}":
                    image: "${IMAGE}"
                    ports: ["80"]
                """);
        Fixtures.write(repo.resolve("flake.nix"), new FlakeGenerator().generate(new RepositoryAnalyzer().analyze(repo)));
        nix().gitAddAll(repo);

        JsonNode blueprint = eval(repo, ".#blueprintJSON");
        assertThat(blueprint.path("evil").path("labels").path(0).asString()).isEqualTo("${IMAGE}");
    }

    private Path generateInto(String fixture) {
        Path repo = Fixtures.copy(Fixtures.path(fixture), temp.resolve(fixture));
        Fixtures.write(repo.resolve("flake.nix"), new FlakeGenerator().generate(new RepositoryAnalyzer().analyze(repo)));
        nix().gitAddAll(repo);
        return repo;
    }

    private JsonNode eval(Path repo, String attribute) {
        ProcessResult result = nix().nix(repo, "eval", "--json", attribute).requireSuccess();
        return JSON.readTree(result.stdout());
    }

    private NixSandbox nix() {
        return new NixSandbox(temp.resolve("nix-env"));
    }
}
