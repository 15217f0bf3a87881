package dev.procurator.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** What counts as a presented token in an Authorization header. */
class TokenAuthenticatorTest {

    @Test
    void noHeaderPresentsNoToken() {
        assertThat(TokenAuthenticator.presentedToken(null)).isEmpty();
        assertThat(TokenAuthenticator.presentedToken("  ")).isEmpty();
    }

    @Test
    void bearerPresentsItsToken() {
        assertThat(TokenAuthenticator.presentedToken("Bearer pcr_abc")).hasValue("pcr_abc");
        assertThat(TokenAuthenticator.presentedToken(" bearer \t pcr_abc ")).hasValue("pcr_abc");
    }

    @Test
    void basicPresentsThePasswordOrTheLoneUsername() {
        assertThat(TokenAuthenticator.presentedToken("Basic " + base64("nix:pcr_abc"))).hasValue("pcr_abc");
        assertThat(TokenAuthenticator.presentedToken("BASIC  " + base64("pcr_abc:"))).hasValue("pcr_abc");
        assertThat(TokenAuthenticator.presentedToken("Basic " + base64("pcr_abc"))).hasValue("pcr_abc");
    }

    @Test
    void anythingElseIsAWrongToken() {
        assertThat(TokenAuthenticator.presentedToken("Basic %%%")).isEqualTo(Optional.of(""));
        assertThat(TokenAuthenticator.presentedToken("pcr_abc")).isEqualTo(Optional.of(""));
        assertThat(TokenAuthenticator.presentedToken("Digest username=x")).isEqualTo(Optional.of(""));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
