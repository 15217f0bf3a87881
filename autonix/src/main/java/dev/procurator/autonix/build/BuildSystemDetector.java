package dev.procurator.autonix.build;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.procurator.autonix.scan.ParsedFiles;
import dev.procurator.autonix.scan.RepositoryFiles;

/**
 * Finds every project of every known build tool. A project nested inside a project of the same tool family (a Maven
 * module, a Cargo workspace member, an npm workspace package) is part of that outer project, not a project of its own:
 * the outer project's commands already build it.
 */
public final class BuildSystemDetector {

    private static final List<BuildRule> RULES = List.of(
            new MavenRule(), new GradleRule(), new NodeRule(), new CargoRule(), new GoRule(), new PythonRule(),
            new NixFlakeRule());

    public List<BuildSystem> detect(ParsedFiles files) {
        List<BuildSystem> found = new ArrayList<>();
        for (BuildRule rule : RULES) {
            List<String> outerProjects = new ArrayList<>();
            for (Map.Entry<String, String> project : manifestsByDirectory(files.files(), rule).entrySet()) {
                String dir = project.getKey();
                if (outerProjects.stream().anyMatch(outer -> RepositoryFiles.isWithin(dir, outer))) {
                    continue;
                }
                outerProjects.add(dir);
                found.add(rule.inspect(files, dir, project.getValue()));
            }
        }
        found.sort(Comparator.comparing(BuildSystem::dir).thenComparing(BuildSystem::tool));
        return found;
    }

    /** Directory → its preferred manifest, directories sorted so that an outer project comes before its nested ones. */
    private static Map<String, String> manifestsByDirectory(RepositoryFiles files, BuildRule rule) {
        Map<String, String> byDirectory = new TreeMap<>(Comparator.comparingInt(BuildSystemDetector::depth)
                .thenComparing(Comparator.naturalOrder()));
        for (String manifestName : rule.manifests()) {
            for (String manifest : files.named(manifestName)) {
                byDirectory.putIfAbsent(RepositoryFiles.directoryOf(manifest), manifest);
            }
        }
        return byDirectory;
    }

    private static int depth(String dir) {
        return dir.equals(".") ? 0 : dir.split("/").length;
    }
}
