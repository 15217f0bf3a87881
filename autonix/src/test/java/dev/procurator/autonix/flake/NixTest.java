package dev.procurator.autonix.flake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NixTest {

    @Test
    void stringsEscapeQuotesBackslashesNewlinesAndInterpolation() {
        assertThat(Nix.string("say \"hi\"\\n")).isEqualTo("\"say \\\"hi\\\"\\\\n\"");
        assertThat(Nix.string("a\nb")).isEqualTo("\"a\\nb\"");
        assertThat(Nix.string("echo ${HOME} costs $5")).isEqualTo("\"echo \\${HOME} costs $5\"");
    }

    @Test
    void attributeNamesAreQuotedOnlyWhenNeeded() {
        assertThat(Nix.attribute("web-1")).isEqualTo("web-1");
        assertThat(Nix.attribute("1web")).isEqualTo("\"1web\"");
        assertThat(Nix.attribute("let")).isEqualTo("\"let\"");
    }
}
