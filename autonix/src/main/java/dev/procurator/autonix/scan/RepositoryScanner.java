package dev.procurator.autonix.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Lists the files of a checkout once, skipping what is not the project's own source: VCS metadata, dependency
 * directories and build output. Symbolic links are not followed, so a link loop or a link out of the checkout
 * cannot make the scan wander.
 */
public final class RepositoryScanner {

    /** Directory names never descended into. */
    static final Set<String> IGNORED_DIRECTORIES = Set.of(
            ".git", ".hg", ".svn", "node_modules", "bower_components", "target", "build", "dist", "out", "vendor",
            ".gradle", ".mvn", ".idea", ".vscode", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache",
            ".pytest_cache", ".next", ".nuxt", ".cache", ".direnv", "result", "coverage");

    /** Enough for large monorepos; past it the analysis would mostly measure generated files. */
    static final int MAX_FILES = 200_000;

    public RepositoryFiles scan(Path root, Warnings warnings) {
        List<String> paths = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && IGNORED_DIRECTORIES.contains(dir.getFileName().toString())) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!attrs.isRegularFile()) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (paths.size() == MAX_FILES) {
                        warnings.add(".", "more than " + MAX_FILES + " files: the rest was not analyzed");
                        return FileVisitResult.TERMINATE;
                    }
                    paths.add(RepositoryFiles.relative(root, file));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    warnings.add(RepositoryFiles.relative(root, file), "cannot be read: " + describe(e));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        paths.sort(null);
        return new RepositoryFiles(root, paths, warnings);
    }

    static String describe(IOException e) {
        String name = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? name : name + " (" + e.getMessage() + ")";
    }
}
