package dev.procurator.cache.nix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Nix's base32, hashes, narinfo text and Ed25519 signatures, checked against values the nix client produced. */
class NixFormatsTest {

    // `nix key generate-secret --key-name t-1`, then `nix store sign` of a path with narHash below: its signature.
    static final String SECRET = "t-1:hWPJUN9E3K5nFt80Q65+kZbwxVP8PowpoCur4ztT0ACz0AZZojtBElxLkuBaSGJRsVWcoXKx/EOGURCdHY3Crw==";
    static final String NIX_SIGNATURE = "t-1:VxtDUTjGldl7rmfguhn3QM5+n33OiJhBmV+XuuEDhKQxcnBwy0+Ca1E8B1NRxTU+19D66xp+MWJEIzqi1k8/Cw==";

    @Test
    void base32MatchesNixForSriAndBackAgain() {
        // nix path-info printed sha256-8rZj...= (SRI) for the NarHash that narinfos write as sha256:1pgyz...
        assertThat(NixHash.normalize("sha256-8rZj4G7p7f80xdR6Es9zkss4jol73O52CI0Xc1P5/t0="))
                .isEqualTo("sha256:1pgyz59p65wd11vfxp3vi673ijwjfg7i4ynlqlsgzvg9dvh67dpj");
        byte[] bytes = NixBase32.decode("1pgyz59p65wd11vfxp3vi673ijwjfg7i4ynlqlsgzvg9dvh67dpj", 32);
        assertThat(NixBase32.encode(bytes)).isEqualTo("1pgyz59p65wd11vfxp3vi673ijwjfg7i4ynlqlsgzvg9dvh67dpj");
        assertThat(NixBase32.isValid("e".repeat(52), 32)).as("'e' is not in the alphabet").isFalse();
        assertThat(NixBase32.isValid("z".repeat(52), 32)).as("bits beyond 256").isFalse();
        assertThat(StorePath.isHash("wbqyifds5iyschz0why48nkldy07fwhs")).isTrue();
    }

    @Test
    void signsExactlyAsNixDoes() {
        SigningKey key = SigningKey.parseSecret(SECRET);
        String fingerprint = "1;/nix/store/wbqyifds5iyschz0why48nkldy07fwhs-dep-a;"
                + "sha256:1pgyz59p65wd11vfxp3vi673ijwjfg7i4ynlqlsgzvg9dvh67dpj;288;";
        assertThat(key.sign(fingerprint)).isEqualTo(NIX_SIGNATURE);
        assertThat(SigningKey.verify(key.publicText(), fingerprint, NIX_SIGNATURE)).isTrue();
        assertThat(SigningKey.verify(key.publicText(), fingerprint + "x", NIX_SIGNATURE)).isFalse();
        SigningKey fresh = SigningKey.generate("fresh-1");
        assertThat(SigningKey.parseSecret(fresh.secretText()).publicText()).isEqualTo(fresh.publicText());
        String foreignPublicHalf = "t-1:" + java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(
                java.util.Base64.getDecoder().decode(SECRET.substring(4)), 32)) + fresh.publicText().substring(8);
        assertThatThrownBy(() -> SigningKey.parseSecret(foreignPublicHalf)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesRendersAndFingerprintsNarinfos() {
        String text = """
                StorePath: /nix/store/jyxrjcrjraxdazb2bzajnpf6sknxjsfq-app-b
                URL: nar/1xrqkaskl35lwy1rx6334sjxrz0fw5qb1fvidg2arw49qmkg3jwp.nar.zst
                Compression: zstd
                FileHash: sha256:1xrqkaskl35lwy1rx6334sjxrz0fw5qb1fvidg2arw49qmkg3jwp
                FileSize: 100529
                NarHash: sha256:023aqc96wd0zxymvc77bjpyiw24ww0qdghkr4pa9aw1qwfi9qpi0
                NarSize: 100520
                References: wbqyifds5iyschz0why48nkldy07fwhs-dep-a jyxrjcrjraxdazb2bzajnpf6sknxjsfq-app-b
                Deriver: fqvg8ac56a8h3525kqhf51n3l729bzjb-app-b.drv
                Sig: someone-1:AAAA
                """;
        NarInfo info = NarInfo.parse(text);
        assertThat(info.references()).containsExactly("jyxrjcrjraxdazb2bzajnpf6sknxjsfq-app-b",
                "wbqyifds5iyschz0why48nkldy07fwhs-dep-a");
        assertThat(info.fingerprint()).isEqualTo("1;/nix/store/jyxrjcrjraxdazb2bzajnpf6sknxjsfq-app-b;"
                + "sha256:023aqc96wd0zxymvc77bjpyiw24ww0qdghkr4pa9aw1qwfi9qpi0;100520;"
                + "/nix/store/jyxrjcrjraxdazb2bzajnpf6sknxjsfq-app-b,/nix/store/wbqyifds5iyschz0why48nkldy07fwhs-dep-a");
        assertThat(info.render()).doesNotContain("Sig:").contains("Deriver: fqvg8ac56a8h3525kqhf51n3l729bzjb-app-b.drv\n");
        assertThat(NarInfo.parse(info.render())).isEqualTo(info);
    }

    @Test
    void rejectsMalformedNarinfos() {
        String good = "StorePath: /nix/store/jyxrjcrjraxdazb2bzajnpf6sknxjsfq-app-b\nURL: nar/x.nar\nCompression: none\n"
                + "FileHash: sha256:1xrqkaskl35lwy1rx6334sjxrz0fw5qb1fvidg2arw49qmkg3jwp\nFileSize: 1\n"
                + "NarHash: sha256:1xrqkaskl35lwy1rx6334sjxrz0fw5qb1fvidg2arw49qmkg3jwp\nNarSize: 1\nReferences: \n";
        assertThat(NarInfo.parse(good).references()).isEmpty();
        for (String bad : List.of(
                good.replace("/nix/store/", "/tmp/"),
                good.replace("app-b", "../../etc"),
                good.replace("Compression: none", "Compression: bzip2"),
                good.replace("FileSize: 1", "FileSize: -1"),
                good.replace("NarHash: sha256:1", "NarHash: md5:1"),
                good.replace("References: ", "References: not/a/path"),
                good + "StorePath: /nix/store/jyxrjcrjraxdazb2bzajnpf6sknxjsfq-app-b\n",
                good.replace("NarSize: 1\n", ""),
                good + "no colon here\n")) {
            assertThatThrownBy(() -> NarInfo.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
