package dev.procurator.common.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

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
        Path file = file(dataDir);
        try {
            if (!token.equals(readIfPresent(file))) {
                Files.move(privateTempFile(file, token), file, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin token file " + file, e);
        }
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
        try {
            String existing = readIfPresent(file);
            if (existing != null) {
                return new AdminToken(existing, false);
            }
            String token = Tokens.generate();
            Path temp = privateTempFile(file, token);
            try {
                if (Files.exists(file)) {
                    // An empty file (a failed write, an over-eager editor) must not make the empty string a token.
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    // A hard link appears atomically and never replaces: if a sibling process won the race, its
                    // token wins.
                    Files.createLink(file, temp);
                }
            } catch (FileAlreadyExistsException e) {
                return new AdminToken(Files.readString(file).strip(), false);
            } finally {
                Files.deleteIfExists(temp);
            }
            return new AdminToken(token, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin token file " + file, e);
        }
    }

    /** The file's token, or null when there is no file or it holds nothing. */
    private static String readIfPresent(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String token = Files.readString(file).strip();
        return token.isEmpty() ? null : token;
    }

    /** A new file beside {@code file} holding the token, readable by its owner only from the first byte. */
    private static Path privateTempFile(Path file, String token) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, token + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        return temp;
    }
}
