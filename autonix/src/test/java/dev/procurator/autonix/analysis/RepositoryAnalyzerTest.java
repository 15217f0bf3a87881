package dev.procurator.autonix.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.autonix.build.BuildSystem;
import dev.procurator.autonix.ci.CiConfig;
import dev.procurator.autonix.language.LanguageUsage;
import dev.procurator.autonix.scan.Warning;
import dev.procurator.autonix.service.Service;
import dev.procurator.autonix.testing.Fixtures;

class RepositoryAnalyzerTest {

    private final RepositoryAnalyzer analyzer = new RepositoryAnalyzer();

    @Test
    void javaMavenService() {
        RepositoryAnalysis analysis = analyzer.analyze(Fixtures.path("java-service"));

        assertThat(analysis.repository()).isEqualTo("java-service");
        assertThat(analysis.languages()).containsExactly(new LanguageUsage("Java", 3));
        assertThat(analysis.buildSystems()).containsExactly(new BuildSystem("maven", ".", "pom.xml", List.of(),
                "./mvnw -B verify", "./mvnw -B -DskipTests package"));
        assertThat(analysis.services()).containsExactly(new Service("orders", ".", List.of("pom.xml"),
                "./mvnw spring-boot:run", List.of(8081), new Service.HttpEndpoint(8081, "/actuator/health"), "jvm"));
        assertThat(analysis.ci()).containsExactly(
                new CiConfig("github-actions", ".github/workflows/ci.yml", List.of("build", "lint")));
        assertThat(analysis.warnings()).isEmpty();
    }

    @Test
    void nodeAppWithDockerfileIsOneService() {
        RepositoryAnalysis analysis = analyzer.analyze(Fixtures.path("node-app"));

        assertThat(analysis.languages()).containsExactly(
                new LanguageUsage("JavaScript", 2), new LanguageUsage("TypeScript", 1));
        assertThat(analysis.buildSystems()).containsExactly(new BuildSystem("npm", ".", "package.json",
                List.of("package-lock.json"), "npm ci && npm run lint && npm test", "npm ci && npm run build"));
        // The udp port is not health-checkable; the Dockerfile's 3000/tcp and the start script's --port agree.
        assertThat(analysis.services()).containsExactly(new Service("storefront", ".",
                List.of("package.json", "Dockerfile"), "npm start", List.of(3000), null, "node"));
        assertThat(analysis.ci()).containsExactly(new CiConfig("gitlab-ci", ".gitlab-ci.yml", List.of("test", "build")));
        assertThat(analysis.warnings()).isEmpty();
    }

    @Test
    void rustCrateHasABuildButNoService() {
        RepositoryAnalysis analysis = analyzer.analyze(Fixtures.path("rust-crate"));

        assertThat(analysis.languages()).containsExactly(new LanguageUsage("Rust", 2));
        assertThat(analysis.buildSystems()).containsExactly(new BuildSystem("cargo", ".", "Cargo.toml",
                List.of("Cargo.lock"), "cargo test --locked", "cargo build --release --locked"));
        assertThat(analysis.services()).isEmpty();
        assertThat(analysis.ci()).isEmpty();
        assertThat(analysis.warnings()).isEmpty();
    }

    @Test
    void composeMonorepoGivesOneServicePerComposeEntry() {
        RepositoryAnalysis analysis = analyzer.analyze(Fixtures.path("compose-monorepo"));

        assertThat(analysis.services()).containsExactly(
                new Service("api", "api", List.of("docker-compose.yml", "api/Dockerfile"), "/api", List.of(8080),
                        null, null),
                new Service("cache", null, List.of("docker-compose.yml"), null, List.of(6379), null,
                        "image:redis:7"),
                new Service("db", null, List.of("docker-compose.yml"), null, List.of(5432), null,
                        "image:postgres:16"),
                new Service("web", "web", List.of("docker-compose.yml", "web/package.json"), "npm start",
                        List.of(4173), null, "node"),
                new Service("worker", "worker", List.of("docker-compose.yml"), "python -m worker", List.of(), null,
                        null));
        assertThat(analysis.buildSystems()).containsExactly(
                new BuildSystem("nix", ".", "flake.nix", List.of(), "nix flake check", "nix build"),
                new BuildSystem("go", "api", "api/go.mod", List.of("go.sum"), "go vet ./... && go test ./...",
                        "go build ./..."),
                // npm init's placeholder "test" script is not a test suite, so there is nothing to check.
                new BuildSystem("npm", "web", "web/package.json", List.of(), null, "npm install && npm run build"),
                new BuildSystem("poetry", "worker", "worker/pyproject.toml", List.of("poetry.lock"),
                        "poetry install && poetry run pytest", "poetry build"));
        assertThat(analysis.ci()).containsExactly(new CiConfig("procurator", "flake.nix", List.of()));
        assertThat(analysis.warnings()).containsExactly(new Warning("web/package.json",
                "no lockfile (package-lock.json, yarn.lock or pnpm-lock.yaml): dependency versions are not pinned"));
        assertThat(analysis.languages()).extracting(LanguageUsage::name)
                .containsExactlyInAnyOrder("Go", "Python", "JavaScript", "Nix");
    }

    @Test
    void emptyRepositoryFindsNothingAndDoesNotFail() {
        RepositoryAnalysis analysis = analyzer.analyze(Fixtures.path("empty"));

        assertThat(analysis.languages()).isEmpty();
        assertThat(analysis.buildSystems()).isEmpty();
        assertThat(analysis.services()).isEmpty();
        assertThat(analysis.ci()).isEmpty();
        assertThat(analysis.warnings()).isEmpty();
    }

    @Test
    void malformedFilesBecomeWarningsAndTheRestIsStillAnalyzed() {
        RepositoryAnalysis analysis = analyzer.analyze(Fixtures.path("broken"));

        assertThat(analysis.warnings()).extracting(Warning::path).containsExactlyInAnyOrder(
                "package.json", "docker-compose.yml", "pom.xml", "Dockerfile", "Procfile",
                ".github/workflows/ci.yml", "package.json");
        assertThat(analysis.warnings()).anySatisfy(warning -> {
            assertThat(warning.path()).isEqualTo("package.json");
            assertThat(warning.message()).startsWith("malformed JSON: ");
        });
        assertThat(analysis.warnings()).anySatisfy(warning -> {
            assertThat(warning.path()).isEqualTo("docker-compose.yml");
            assertThat(warning.message()).startsWith("malformed YAML: ");
        });
        assertThat(analysis.warnings()).contains(
                new Warning("Dockerfile", "EXPOSE $PORT is not a port number (build arguments are not resolved)"),
                new Warning("Procfile", "line 2 is not \"name: command\": ignored"),
                new Warning(".github/workflows/ci.yml",
                        "no \"jobs\" mapping: not a workflow this analyzer understands"));
        // The Procfile still declares the web process; the Dockerfile in its directory adds to it.
        assertThat(analysis.services()).singleElement().satisfies(service -> {
            assertThat(service.name()).isEqualTo("web");
            assertThat(service.ports()).containsExactly(8000);
            assertThat(service.command()).isEqualTo("./serve --bind 0.0.0.0:8000");
        });
    }

    @Test
    void dependencyBuildAndVcsDirectoriesAreIgnored(@TempDir Path temp) throws Exception {
        Path repo = Fixtures.copy(Fixtures.path("java-service"), temp.resolve("repo"));
        Fixtures.write(repo.resolve("node_modules/left-pad/index.js"), "module.exports = 1;");
        Fixtures.write(repo.resolve("node_modules/left-pad/package.json"), "{\"scripts\":{\"start\":\"x\"}}");
        Fixtures.write(repo.resolve("target/generated-sources/Generated.java"), "class Generated {}");
        Fixtures.write(repo.resolve(".git/hooks/pre-commit.sh"), "exit 0");
        Fixtures.write(repo.resolve("vendor/lib/lib.go"), "package lib");

        RepositoryAnalysis analysis = analyzer.analyze(repo);

        assertThat(analysis.languages()).containsExactly(new LanguageUsage("Java", 3));
        assertThat(analysis.services()).extracting(Service::name).containsExactly("orders");
    }

    @Test
    void nestedModulesBelongToTheirOuterProject(@TempDir Path temp) {
        Fixtures.write(temp.resolve("pom.xml"), "<project><artifactId>parent</artifactId></project>");
        Fixtures.write(temp.resolve("api/pom.xml"), "<project><artifactId>api</artifactId></project>");
        Fixtures.write(temp.resolve("tools/cli/Cargo.toml"), "[package]\nname = \"cli\"");
        Fixtures.write(temp.resolve("tools/cli/Cargo.lock"), "version = 3");

        RepositoryAnalysis analysis = analyzer.analyze(temp);

        assertThat(analysis.buildSystems()).extracting(BuildSystem::tool, BuildSystem::dir)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("maven", "."),
                        org.assertj.core.groups.Tuple.tuple("cargo", "tools/cli"));
    }

    @Test
    void textThatIsNotUtf8IsAWarning(@TempDir Path temp) throws Exception {
        Files.write(temp.resolve("package.json"), new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'});

        RepositoryAnalysis analysis = analyzer.analyze(temp);

        assertThat(analysis.warnings()).contains(new Warning("package.json", "skipped: not UTF-8 text"));
    }

    @Test
    void aMissingDirectoryIsAClearError(@TempDir Path temp) throws Exception {
        assertThatThrownBy(() -> analyzer.analyze(temp.resolve("nope")))
                .isInstanceOf(AnalysisException.class)
                .hasMessageStartingWith("no such directory: ");
        Path file = Files.writeString(temp.resolve("file.txt"), "x");
        assertThatThrownBy(() -> analyzer.analyze(file))
                .isInstanceOf(AnalysisException.class)
                .hasMessageStartingWith("not a directory: ");
    }

    @Test
    void unquotedComposePortMappingsAreNotBase60Numbers(@TempDir Path temp) {
        // YAML 1.1 would read 22:22 as 1342; compose (YAML 1.2) reads a port mapping.
        Fixtures.write(temp.resolve("docker-compose.yml"), "services:\n  git:\n    image: gitea\n    ports:\n      - 22:22\n");

        RepositoryAnalysis analysis = analyzer.analyze(temp);

        assertThat(analysis.services()).singleElement().extracting(Service::ports).isEqualTo(List.of(22));
    }

    @Test
    void aGradleLibraryUsingSpringIsNotAnApplication(@TempDir Path temp) {
        Fixtures.write(temp.resolve("lib/build.gradle.kts"),
                "dependencies { implementation(\"org.springframework.boot:spring-boot-starter\") }");
        Fixtures.write(temp.resolve("lib/src/main/java/Lib.java"), "class Lib {}");
        Fixtures.write(temp.resolve("app/build.gradle.kts"), "plugins {\n  id(\"org.springframework.boot\") version \"3.3.0\"\n}");
        Fixtures.write(temp.resolve("app/src/main/java/App.java"), "class App {}");

        RepositoryAnalysis analysis = analyzer.analyze(temp);

        assertThat(analysis.services()).singleElement().satisfies(service -> {
            assertThat(service.name()).isEqualTo("app");
            assertThat(service.command()).isEqualTo("gradle bootRun");
            assertThat(service.ports()).containsExactly(8080);
        });
    }
}
