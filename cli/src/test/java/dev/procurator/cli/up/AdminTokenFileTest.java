package dev.procurator.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenFileTest {

    @TempDir
    Path data;

    @Test
    void generatesOnceIntoAPrivateFileAndKeepsIt() throws Exception {
        String token = AdminTokenFile.resolve(data, null);
        Path file = data.resolve("admin-token");

        assertThat(token).startsWith("pcr_").hasSize(68);
        assertThat(Files.readString(file)).isEqualTo(token + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(AdminTokenFile.resolve(data, "")).isEqualTo(token);
    }

    @Test
    void theEnvironmentWinsAndIsWrittenWhereUsersLook() throws Exception {
        AdminTokenFile.resolve(data, null);

        assertThat(AdminTokenFile.resolve(data, " pcr_from_env\n")).isEqualTo("pcr_from_env");
        assertThat(Files.readString(data.resolve("admin-token"))).isEqualTo("pcr_from_env\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("admin-token"))))
                .isEqualTo("rw-------");
    }
}
