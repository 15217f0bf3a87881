package dev.procurator.autonix.build;

import java.util.List;

import dev.procurator.autonix.scan.ParsedFiles;
import dev.procurator.autonix.scan.RepositoryFiles;

/** Maven: no lockfile exists in its world; the wrapper, when checked in, pins Maven itself. */
final class MavenRule implements BuildRule {

    @Override
    public List<String> manifests() {
        return List.of("pom.xml");
    }

    @Override
    public BuildSystem inspect(ParsedFiles files, String dir, String manifest) {
        String mvn = files.files().exists(RepositoryFiles.resolve(dir, "mvnw")) ? "./mvnw" : "mvn";
        return new BuildSystem("maven", dir, manifest, List.of(), mvn + " -B verify", mvn + " -B -DskipTests package");
    }
}
