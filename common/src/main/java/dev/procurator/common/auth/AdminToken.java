package dev.procurator.common.auth;

import java.nio.file.Path;

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
        SecretFile.Secret secret = SecretFile.readOrCreate(file, Tokens::generate);
        if (secret.generated()) {
            log.info("Generated the bootstrap admin token in {}", file);
        }
        return secret.value();
    }
}
