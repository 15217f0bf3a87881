package dev.procurator.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {

    @TempDir
    Path data;

    @Test
    void generatesOnceIntoAPrivateFileAndKeepsIt() throws Exception {
        AdminToken first = AdminToken.of(null, data);
        Path file = data.resolve("admin-token");

        assertThat(first.generated()).isTrue();
        assertThat(first.value()).startsWith("pcr_").hasSize(47);
        assertThat(Files.readString(file)).isEqualTo(first.value() + "\n");
        assertThat(permissions(file)).isEqualTo("rw-------");

        AdminToken again = AdminToken.of(" ", data);
        assertThat(again.value()).isEqualTo(first.value());
        assertThat(again.generated()).isFalse();
        assertThat(again.matches(first.value())).isTrue();
        assertThat(again.matches("pcr_other")).isFalse();
    }

    @Test
    void aConfiguredTokenWinsAndLeavesTheFileAlone() {
        AdminToken token = AdminToken.of(" pcr_configured\n", data);

        assertThat(token.value()).isEqualTo("pcr_configured");
        assertThat(token.generated()).isFalse();
        assertThat(data.resolve("admin-token")).doesNotExist();
    }

    @Test
    void anEmptyFileNeverMakesTheEmptyStringAToken() throws Exception {
        Files.writeString(data.resolve("admin-token"), "\n");

        AdminToken token = AdminToken.of(null, data);

        assertThat(token.value()).startsWith("pcr_");
        assertThat(token.matches("")).isFalse();
        assertThat(Files.readString(data.resolve("admin-token")).strip()).isEqualTo(token.value());
        assertThat(permissions(data.resolve("admin-token"))).isEqualTo("rw-------");
    }

    @Test
    void aPublishedTokenIsWrittenWhereUsersLookForIt() throws Exception {
        AdminToken.of(null, data);

        AdminToken published = AdminToken.ofPublished(" pcr_from_env\n", data);

        assertThat(published.value()).isEqualTo("pcr_from_env");
        assertThat(Files.readString(data.resolve("admin-token"))).isEqualTo("pcr_from_env\n");
        assertThat(permissions(data.resolve("admin-token"))).isEqualTo("rw-------");
        assertThat(AdminToken.ofPublished(null, data).value()).isEqualTo("pcr_from_env");
    }

    private static String permissions(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
