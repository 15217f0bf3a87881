package dev.procurator.common.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A credential a service generates once and keeps in its data dir (the admin token, the CI's webhook secret): read if
 * present, else generated and written with mode 600 from its first byte. Its value is never logged.
 */
public final class SecretFile {

    private SecretFile() {
    }

    /** @return the value and whether {@code generator} made it just now (false: the file already held it) */
    public record Secret(String value, boolean generated) {
    }

    public static Secret readOrCreate(Path file, Supplier<String> generator) {
        try {
            String existing = readIfPresent(file);
            if (existing != null) {
                return new Secret(existing, false);
            }
            String value = generator.get();
            Path temp = privateTempFile(file, value);
            try {
                if (Files.exists(file)) {
                    // An empty file (a failed write, an over-eager editor) must not make the empty string a secret.
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    // A hard link appears atomically and never replaces: if a sibling process won the race, its
                    // value wins.
                    Files.createLink(file, temp);
                }
            } catch (FileAlreadyExistsException e) {
                return new Secret(Files.readString(file).strip(), false);
            } finally {
                Files.deleteIfExists(temp);
            }
            return new Secret(value, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret file " + file, e);
        }
    }

    /** Writes {@code value} into {@code file}, replacing what it held, atomically and with mode 600. */
    public static void write(Path file, String value) {
        try {
            if (!value.equals(readIfPresent(file))) {
                Files.move(privateTempFile(file, value), file, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the secret file " + file, e);
        }
    }

    /** The file's value, or null when there is no file or it holds nothing. */
    private static String readIfPresent(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String value = Files.readString(file).strip();
        return value.isEmpty() ? null : value;
    }

    /** A new file beside {@code file} holding the value, readable by its owner only from the first byte. */
    private static Path privateTempFile(Path file, String value) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, value + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        return temp;
    }
}
