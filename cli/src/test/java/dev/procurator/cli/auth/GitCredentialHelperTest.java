package dev.procurator.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.procurator.cli.api.CliConfig;

/** The protocol as git speaks it to a helper (git-credential(1)); the real git drives it in the e2e CliIT. */
class GitCredentialHelperTest {

    private static CliConfig config(String forgeUrl, String token, String user) {
        return new CliConfig(token, user, Map.of(CliConfig.Endpoint.FORGE.key(), forgeUrl));
    }

    private static String run(CliConfig config, String operation, String request) throws Exception {
        StringWriter out = new StringWriter();
        new GitCredentialHelper(config).handle(operation, new BufferedReader(new StringReader(request)),
                new PrintWriter(out));
        return out.toString();
    }

    @Test
    void answersTheForgesHostWithTheSavedTokenAndUser() throws Exception {
        CliConfig config = config("http://127.0.0.1:7410", "pcr_secret", "ann");

        assertThat(run(config, "get", "protocol=http\nhost=127.0.0.1:7410\n\n"))
                .isEqualTo("username=ann\npassword=pcr_secret\n");
        // Newer git versions send capabilities and a path; the answer stays the same.
        assertThat(run(config, "get", "capability[]=authtype\nprotocol=http\nhost=127.0.0.1:7410\npath=ann/demo.git\n"))
                .isEqualTo("username=ann\npassword=pcr_secret\n");
    }

    @Test
    void saysNothingForAnyOtherHostPortOrScheme() throws Exception {
        CliConfig config = config("http://127.0.0.1:7410", "pcr_secret", "ann");

        assertThat(run(config, "get", "protocol=http\nhost=127.0.0.1:7411\n\n")).isEmpty();
        assertThat(run(config, "get", "protocol=https\nhost=127.0.0.1:7410\n\n")).isEmpty();
        assertThat(run(config, "get", "protocol=http\nhost=github.com\n\n")).isEmpty();
        assertThat(run(config, "get", "host=127.0.0.1:7410\n\n")).isEmpty();
    }

    @Test
    void defaultPortsAndHostCaseAreTheSameHost() throws Exception {
        CliConfig config = config("https://Git.Example.org", "pcr_secret", "ann");

        assertThat(run(config, "get", "protocol=https\nhost=git.example.org\n\n")).contains("password=pcr_secret");
        assertThat(run(config, "get", "protocol=https\nhost=git.example.org:443\n\n")).contains("password=pcr_secret");
    }

    @Test
    void aForgeUnderAPathAnswersOnlyBelowIt() throws Exception {
        CliConfig config = config("https://example.org/forge", "pcr_secret", "ann");

        assertThat(run(config, "get", "protocol=https\nhost=example.org\npath=forge/ann/demo.git\n"))
                .contains("password=pcr_secret");
        assertThat(run(config, "get", "protocol=https\nhost=example.org\npath=forgery/x.git\n")).isEmpty();
        assertThat(run(config, "get", "protocol=https\nhost=example.org\n")).contains("password=pcr_secret");
    }

    @Test
    void anotherUsersUrlIsNotAnsweredWithOurToken() throws Exception {
        CliConfig config = config("http://localhost:7410", "pcr_secret", "ann");

        assertThat(run(config, "get", "protocol=http\nhost=localhost:7410\nusername=bob\n\n")).isEmpty();
        assertThat(run(config, "get", "protocol=http\nhost=localhost:7410\nusername=Ann\n\n"))
                .isEqualTo("username=Ann\npassword=pcr_secret\n");
    }

    @Test
    void aTokenOfUnknownOwnerIsSentWithAPlaceholderName() throws Exception {
        CliConfig config = config("http://localhost:7410", "pcr_from_env", null);

        assertThat(run(config, "get", "protocol=http\nhost=localhost:7410\n\n"))
                .isEqualTo("username=" + GitCredentialHelper.UNKNOWN_USER + "\npassword=pcr_from_env\n");
    }

    @Test
    void withoutATokenThereIsNothingToSay() throws Exception {
        assertThat(run(config("http://localhost:7410", null, null), "get", "protocol=http\nhost=localhost:7410\n\n"))
                .isEmpty();
    }

    @Test
    void storeEraseAndUnknownOperationsAreReadAndIgnored() throws Exception {
        CliConfig config = config("http://localhost:7410", "pcr_secret", "ann");
        String request = "protocol=http\nhost=localhost:7410\nusername=ann\npassword=pcr_secret\n\n";

        assertThat(run(config, "store", request)).isEmpty();
        assertThat(run(config, "erase", request)).isEmpty();
        assertThat(run(config, "capability", request)).isEmpty();
    }
}
