package dev.procurator.autonix.build;

import java.util.List;

import dev.procurator.autonix.scan.ParsedFiles;
import dev.procurator.autonix.scan.RepositoryFiles;

final class GradleRule implements BuildRule {

    @Override
    public List<String> manifests() {
        return List.of("settings.gradle.kts", "settings.gradle", "build.gradle.kts", "build.gradle");
    }

    @Override
    public BuildSystem inspect(ParsedFiles files, String dir, String manifest) {
        String gradle = files.files().exists(RepositoryFiles.resolve(dir, "gradlew")) ? "./gradlew" : "gradle";
        return new BuildSystem("gradle", dir, manifest, Lockfiles.present(files.files(), dir, "gradle.lockfile"),
                gradle + " check", gradle + " assemble");
    }
}
