package dev.procurator.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.cli.api.CliConfig;
import dev.procurator.common.testing.RequiresTool;

/** The real git, with a HOME of the test's own: its global config file is the one these tests read and change. */
@RequiresTool("git")
class GitCredentialSetupTest {

    private static final String FORGE = "http://127.0.0.1:7410";

    @TempDir
    Path home;

    private Map<String, String> environment;
    private GitConfig git;
    private GitCredentialSetup setup;

    @BeforeEach
    void ownHome() {
        environment = Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve(".config").toString(),
                "GIT_CONFIG_NOSYSTEM", "1");
        git = new GitConfig(environment);
        setup = new GitCredentialSetup(git);
    }

    @Test
    void installIsIdempotentAndScopedToTheForge() {
        git.require("credential.helper", "store");
        setup.install(FORGE, List.of("/opt/jdk/bin/java", "-jar", "/opt/procurator/cli.jar"));
        setup.install(FORGE, List.of("/opt/jdk/bin/java", "-jar", "/opt/procurator/cli.jar"));

        assertThat(setup.helpers(FORGE)).containsExactly("",
                "!'/opt/jdk/bin/java' '-jar' '/opt/procurator/cli.jar' auth git-credential");
        assertThat(git.require("--get-all", "credential.helper").strip()).as("other hosts' helpers stay").isEqualTo("store");
    }

    @Test
    void removeTakesOutOnlyWhatInstallWrote() throws Exception {
        git.require("credential.helper", "store");
        git.require("credential.https://github.com.helper", "!gh auth git-credential");
        setup.install(FORGE, List.of("java", "-jar", "cli.jar"));

        setup.remove(FORGE);
        setup.remove(FORGE);

        assertThat(setup.helpers(FORGE)).isEmpty();
        String file = Files.readString(home.resolve(".gitconfig"));
        assertThat(file).doesNotContain(FORGE).contains("store").contains("gh auth git-credential");
    }

    @Test
    void gitAsksTheInstalledHelperAndGetsTheSavedToken() throws Exception {
        Path configFile = CliConfig.file(environment);
        CliConfig.load(Map.of(), configFile)
                .loggedIn("pcr_saved", "ann", Map.of(CliConfig.Endpoint.FORGE.key(), FORGE)).save(configFile);
        // This very CLI, from the test's class path: what git runs is the real helper.
        setup.install(FORGE, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.procurator.cli.Procurator"));

        assertThat(fill("url=" + FORGE + "/ann/demo.git\n\n"))
                .contains("username=ann").contains("password=pcr_saved");
        assertThat(fill("url=http://127.0.0.1:9999/ann/demo.git\n\n")).as("another host: git gets nothing")
                .doesNotContain("pcr_saved");
    }

    @Test
    void shellQuotingSurvivesSpacesAndQuotes() {
        assertThat(GitCredentialSetup.shellQuoted("/opt/it's here/java")).isEqualTo("'/opt/it'\\''s here/java'");
    }

    /** {@code git credential fill}: what git does before a push, without a terminal to prompt on. */
    private String fill(String request) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("git", "credential", "fill");
        builder.environment().putAll(environment);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().remove("PROCURATOR_TOKEN");
        builder.environment().remove("PROCURATOR_FORGE_URL");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        process.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
