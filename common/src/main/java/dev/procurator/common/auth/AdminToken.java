package dev.procurator.common.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bootstrap admin credential every service accepts: {@code PROCURATOR_ADMIN_TOKEN} when set, else the token in
 * {@code <data dir>/admin-token}, created on first start with mode 600. The token itself is never logged.
 */
public final class AdminToken {

    public static final String FILE_NAME = "admin-token";

    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);

    private final String token;

    private AdminToken(String token) {
        this.token = token;
    }

    public static AdminToken of(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return new AdminToken(configured.strip());
        }
        return new AdminToken(readOrCreate(dataDir.resolve(FILE_NAME)));
    }

    public boolean matches(String candidate) {
        return Tokens.matches(token, candidate);
    }

    /** For clients inside this service that call peers as the admin (never for logging). */
    public String value() {
        return token;
    }

    private static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(file.getParent());
            String token = Tokens.generate();
            Path temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, token + "\n", StandardOpenOption.TRUNCATE_EXISTING);
            try {
                // A hard link appears atomically and never replaces: if a sibling process won the race, its token wins.
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException e) {
                return Files.readString(file).strip();
            } finally {
                Files.deleteIfExists(temp);
            }
            log.info("Generated the bootstrap admin token in {}", file);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin token file " + file, e);
        }
    }
}
