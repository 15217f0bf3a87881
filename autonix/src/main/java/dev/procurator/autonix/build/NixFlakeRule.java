package dev.procurator.autonix.build;

import java.util.List;

import dev.procurator.autonix.scan.ParsedFiles;

final class NixFlakeRule implements BuildRule {

    @Override
    public List<String> manifests() {
        return List.of("flake.nix");
    }

    @Override
    public BuildSystem inspect(ParsedFiles files, String dir, String manifest) {
        return new BuildSystem("nix", dir, manifest, Lockfiles.present(files.files(), dir, "flake.lock"),
                "nix flake check", "nix build");
    }
}
