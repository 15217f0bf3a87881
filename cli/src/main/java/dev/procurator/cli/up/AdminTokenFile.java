package dev.procurator.cli.up;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The one bootstrap admin token every service started by {@code up} accepts: {@code PROCURATOR_ADMIN_TOKEN} when set,
 * else the one in {@code <data dir>/admin-token}, generated on first use (mode 600) so it survives restarts.
 */
public final class AdminTokenFile {

    public static final String FILE_NAME = "admin-token";

    private AdminTokenFile() {
    }

    /** The token to hand to the services; the file always holds it afterwards. */
    public static String resolve(Path dataDir, String fromEnvironment) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            String token = fromEnvironment.strip();
            if (!Files.exists(file) || !Files.readString(file).strip().equals(token)) {
                write(file, token);
            }
            return token;
        }
        if (Files.exists(file)) {
            String token = Files.readString(file).strip();
            if (!token.isEmpty()) {
                return token;
            }
        }
        String token = generate();
        write(file, token);
        return token;
    }

    /** Same shape as the services' own tokens ({@code pcr_} + 32 random bytes in hex). */
    static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "pcr_" + HexFormat.of().formatHex(bytes);
    }

    private static void write(Path file, String token) throws IOException {
        Files.createDirectories(file.getParent());
        // Created 600 from the first byte, then moved into place: the token is never readable by others.
        Path temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, token + "\n");
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
