package dev.procurator.common.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A credential a service generates once and keeps in its data dir (the admin token, the CI's webhook secret): read if
 * present, else generated and written with mode 600. Its value is never logged.
 */
public final class SecretFile {

    private SecretFile() {
    }

    /** @return whether the file already existed (false: {@code generator} made the value now) and the value */
    public record Secret(String value, boolean generated) {
    }

    public static Secret readOrCreate(Path file, Supplier<String> generator) {
        try {
            if (Files.exists(file)) {
                return new Secret(Files.readString(file).strip(), false);
            }
            Files.createDirectories(file.getParent());
            String value = generator.get();
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, value + "\n", StandardOpenOption.TRUNCATE_EXISTING);
            try {
                // A hard link appears atomically and never replaces: if a sibling process won the race, its value wins.
                Files.createLink(file, temp);
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
}
