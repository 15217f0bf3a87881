package dev.procurator.autonix.analysis;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.procurator.autonix.build.BuildSystemDetector;
import dev.procurator.autonix.ci.CiDetector;
import dev.procurator.autonix.language.LanguageDetector;
import dev.procurator.autonix.scan.ParsedFiles;
import dev.procurator.autonix.scan.RepositoryFiles;
import dev.procurator.autonix.scan.RepositoryScanner;
import dev.procurator.autonix.scan.Warnings;
import dev.procurator.autonix.service.ServiceDetector;

/**
 * Analyzes a checked-out repository. Only a missing or unlistable directory fails the analysis; any file that
 * cannot be read or parsed becomes a warning in the result, so one broken manifest never hides the rest.
 */
public final class RepositoryAnalyzer {

    private final RepositoryScanner scanner = new RepositoryScanner();
    private final LanguageDetector languages = new LanguageDetector();
    private final BuildSystemDetector buildSystems = new BuildSystemDetector();
    private final ServiceDetector services = new ServiceDetector();
    private final CiDetector ci = new CiDetector();

    public RepositoryAnalysis analyze(Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            throw new AnalysisException("no such directory: " + directory);
        }
        if (!Files.isDirectory(root)) {
            throw new AnalysisException("not a directory: " + directory);
        }
        if (!Files.isReadable(root)) {
            throw new AnalysisException("directory cannot be read: " + directory);
        }
        Warnings warnings = new Warnings();
        RepositoryFiles files;
        try {
            files = scanner.scan(root, warnings);
        } catch (UncheckedIOException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        ParsedFiles parsed = new ParsedFiles(files);
        String name = repositoryName(root);
        return new RepositoryAnalysis(name, languages.detect(files), buildSystems.detect(parsed),
                services.detect(parsed, name), ci.detect(parsed), warnings.list());
    }

    private static String repositoryName(Path root) {
        Path fileName = root.getFileName();
        return fileName == null ? "repository" : fileName.toString();
    }
}
