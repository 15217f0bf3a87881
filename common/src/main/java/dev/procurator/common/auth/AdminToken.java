package dev.procurator.common.auth;

import java.nio.file.Path;

/**
 * The bootstrap admin credential every service accepts: {@code PROCURATOR_ADMIN_TOKEN} when set, else the token in
 * {@code <data dir>/admin-token}, created on first start with mode 600. The token itself is never logged. Plain Java
 * (no logging framework): {@code procurator up} uses it too, to hand one token to every service it starts.
 */
public final class AdminToken {

    public static final String FILE_NAME = "admin-token";

    private final String token;
    private final boolean generated;

    private AdminToken(String token, boolean generated) {
        this.token = token;
        this.generated = generated;
    }

    /** A service's admin token: the configured one, else the file's, generated into it when there is none. */
    public static AdminToken of(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return new AdminToken(configured.strip(), false);
        }
        return readOrCreate(file(dataDir));
    }

    /**
     * As {@link #of}, but a configured token is also written to the file (replacing what it held), so the file always
     * holds the token the services accept: for {@code procurator up}, whose users find the token there.
     */
    public static AdminToken ofPublished(String configured, Path dataDir) {
        if (configured == null || configured.isBlank()) {
            return of(null, dataDir);
        }
        String token = configured.strip();
        SecretFile.write(file(dataDir), token);
        return new AdminToken(token, false);
    }

    public static Path file(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    public boolean matches(String candidate) {
        return Tokens.matches(token, candidate);
    }

    /** For clients inside this service that call peers as the admin (never for logging). */
    public String value() {
        return token;
    }

    /** Whether this token was generated just now, into the data dir's file (worth telling the operator where). */
    public boolean generated() {
        return generated;
    }

    private static AdminToken readOrCreate(Path file) {
        SecretFile.Secret secret = SecretFile.readOrCreate(file, Tokens::generate);
        return new AdminToken(secret.value(), secret.generated());
    }
}
