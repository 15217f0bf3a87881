package dev.procurator.autonix.build;

import java.util.ArrayList;
import java.util.List;

import dev.procurator.autonix.scan.ParsedFiles;

/** Node.js: the lockfile present decides the package manager; commands come from package.json scripts. */
final class NodeRule implements BuildRule {

    @Override
    public List<String> manifests() {
        return List.of("package.json");
    }

    @Override
    public BuildSystem inspect(ParsedFiles files, String dir, String manifest) {
        List<String> lockfiles =
                Lockfiles.present(files.files(), dir, NodePackageManager.LOCKFILES.toArray(String[]::new));
        NodePackageManager manager = NodePackageManager.fromLockfiles(lockfiles);
        if (lockfiles.isEmpty()) {
            files.warnings().add(manifest,
                    "no lockfile (package-lock.json, yarn.lock or pnpm-lock.yaml): dependency versions are not pinned");
        }
        NodeScripts scripts = NodeScripts.of(files, manifest);
        List<String> checks = new ArrayList<>();
        checks.add(manager.install(!lockfiles.isEmpty()));
        if (scripts.has("lint")) {
            checks.add(manager.run("lint"));
        }
        if (scripts.has("test")) {
            checks.add(manager.test());
        }
        String check = checks.size() > 1 ? chain(checks) : null;
        String build = scripts.has("build")
                ? chain(List.of(manager.install(!lockfiles.isEmpty()), manager.run("build")))
                : null;
        return new BuildSystem(manager.command(), dir, manifest, lockfiles, check, build);
    }

    /** One command line: the first failing step stops it. */
    private static String chain(List<String> steps) {
        return String.join(" && ", steps);
    }
}
