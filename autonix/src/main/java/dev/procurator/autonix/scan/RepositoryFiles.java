package dev.procurator.autonix.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The files of one checkout (paths relative to its root, '/'-separated, sorted) and careful reading of them: a file
 * that cannot be read, is too large or is not UTF-8 becomes a {@link Warning}, never an exception.
 */
public final class RepositoryFiles {

    /** Manifests and configs are small; anything larger is not one we should parse. */
    static final long MAX_READ_BYTES = 2L * 1024 * 1024;

    private final Path root;
    private final List<String> paths;
    private final Set<String> pathSet;
    private final Warnings warnings;

    RepositoryFiles(Path root, List<String> paths, Warnings warnings) {
        this.root = root;
        this.paths = List.copyOf(paths);
        this.pathSet = new HashSet<>(paths);
        this.warnings = warnings;
    }

    public Path root() {
        return root;
    }

    public List<String> paths() {
        return paths;
    }

    public Warnings warnings() {
        return warnings;
    }

    public boolean exists(String path) {
        return pathSet.contains(path);
    }

    /** Every file with exactly this name, anywhere in the repository. */
    public List<String> named(String fileName) {
        return paths.stream().filter(path -> fileName(path).equals(fileName)).toList();
    }

    /** The text of a file, or empty (with a warning) when it cannot be read as UTF-8 text. */
    public Optional<String> read(String path) {
        Path file = root.resolve(path);
        try {
            long size = Files.size(file);
            if (size > MAX_READ_BYTES) {
                warnings.add(path, "skipped: " + size + " bytes is too large for a manifest");
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            warnings.add(path, "skipped: not UTF-8 text");
        } catch (IOException e) {
            warnings.add(path, "cannot be read: " + RepositoryScanner.describe(e));
        }
        return Optional.empty();
    }

    /** "a/b/c.txt" → "a/b"; a file at the root → ".". */
    public static String directoryOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "." : path.substring(0, slash);
    }

    public static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Joins a directory as returned by {@link #directoryOf} with a relative name. */
    public static String resolve(String directory, String name) {
        return directory.equals(".") ? name : directory + "/" + name;
    }

    /** True when {@code directory} is {@code ancestor} or lies below it. */
    public static boolean isWithin(String directory, String ancestor) {
        return ancestor.equals(".") || directory.equals(ancestor) || directory.startsWith(ancestor + "/");
    }

    static String relative(Path root, Path file) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        return relative.isEmpty() ? "." : relative;
    }
}
