package dev.procurator.ci.flake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class CiConfigTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DEFAULT = Duration.ofMinutes(30);
    private static final Duration MAX = Duration.ofHours(2);

    private static CiConfig parse(String json) {
        return CiConfig.parse(JSON.readTree(json), DEFAULT, MAX);
    }

    @Test
    void readsWhatAutonixWritesChecksBeforeBuilds() {
        CiConfig config = parse("""
                {"builds":[{"name":"web/npm","dir":"web","command":"npm run build"}],
                 "checks":[{"name":"maven","dir":".","command":"mvn -B verify"},
                           {"name":"web/npm","dir":"web","command":"npm test","timeout":600,"env":{"CI":"1"}}]}""");
        assertThat(config.steps()).extracting(CiConfig.Step::stepName)
                .containsExactly("ci.checks.maven", "ci.checks.web-npm", "ci.builds.web-npm");
        CiConfig.Step npmTest = config.steps().get(1);
        assertThat(npmTest.dir()).isEqualTo("web");
        assertThat(npmTest.timeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(npmTest.env()).containsEntry("CI", "1");
        assertThat(config.steps().get(0).timeout()).isEqualTo(DEFAULT);
    }

    @Test
    void aFlakeWithoutTheSectionHasNoCommands() {
        assertThat(CiConfig.parse(JSON.readTree("null"), DEFAULT, MAX).steps()).isEmpty();
        assertThat(parse("{}").steps()).isEmpty();
    }

    @Test
    void everyProblemIsReportedWithItsOptionPath() {
        assertThatThrownBy(() -> parse("""
                {"checks":[{"command":""},{"name":"x","command":"true","dir":"../up","timeout":99999},
                           {"name":"z","command":"true","env":{"1BAD":"v","OK":3}},
                           {"name":"y","command":"true"},{"name":"Y","command":"true"}],
                 "tests":[]}"""))
                .isInstanceOf(CiConfig.InvalidCiConfig.class)
                .satisfies(e -> assertThat(((CiConfig.InvalidCiConfig) e).problems()).containsExactly(
                        "procurator.ci: unknown option(s) [\"tests\"]; known options: [\"builds\", \"checks\"]",
                        "procurator.ci.checks[0].name: is required",
                        "procurator.ci.checks[0].command: must be a non-empty string, got \"\"",
                        "procurator.ci.checks[1].dir: must be a path inside the repository, got \"../up\"",
                        "procurator.ci.checks[1].timeout: 99999 s is more than this CI allows (7200 s)",
                        "procurator.ci.checks[2].env.1BAD: not a valid environment variable name",
                        "procurator.ci.checks[2].env.OK: must be a string, got 3",
                        "procurator.ci.checks[4].name: \"Y\" is used twice in procurator.ci.checks"));
    }
}
