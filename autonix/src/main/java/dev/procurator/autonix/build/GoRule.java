package dev.procurator.autonix.build;

import java.util.List;

import dev.procurator.autonix.scan.ParsedFiles;

final class GoRule implements BuildRule {

    @Override
    public List<String> manifests() {
        return List.of("go.mod");
    }

    @Override
    public BuildSystem inspect(ParsedFiles files, String dir, String manifest) {
        List<String> lockfiles = Lockfiles.present(files.files(), dir, "go.sum");
        boolean hasDependencies = files.text(manifest).map(text -> text.contains("require")).orElse(false);
        if (lockfiles.isEmpty() && hasDependencies) {
            files.warnings().add(manifest, "no go.sum: dependency checksums are not pinned");
        }
        return new BuildSystem("go", dir, manifest, lockfiles, "go vet ./... && go test ./...", "go build ./...");
    }
}
