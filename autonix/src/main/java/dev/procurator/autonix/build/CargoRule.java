package dev.procurator.autonix.build;

import java.util.List;

import dev.procurator.autonix.scan.ParsedFiles;

final class CargoRule implements BuildRule {

    @Override
    public List<String> manifests() {
        return List.of("Cargo.toml");
    }

    @Override
    public BuildSystem inspect(ParsedFiles files, String dir, String manifest) {
        List<String> lockfiles = Lockfiles.present(files.files(), dir, "Cargo.lock");
        // --locked makes cargo fail instead of silently resolving newer versions than the lockfile's.
        String locked = lockfiles.isEmpty() ? "" : " --locked";
        if (lockfiles.isEmpty()) {
            files.warnings().add(manifest, "no Cargo.lock: dependency versions are not pinned");
        }
        return new BuildSystem("cargo", dir, manifest, lockfiles, "cargo test" + locked,
                "cargo build --release" + locked);
    }
}
