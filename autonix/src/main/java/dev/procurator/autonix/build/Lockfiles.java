package dev.procurator.autonix.build;

import java.util.Arrays;
import java.util.List;

import dev.procurator.autonix.scan.RepositoryFiles;

final class Lockfiles {

    private Lockfiles() {
    }

    /** The given lockfile names that exist in {@code dir}, in the order given. */
    static List<String> present(RepositoryFiles files, String dir, String... names) {
        return Arrays.stream(names).filter(name -> files.exists(RepositoryFiles.resolve(dir, name))).toList();
    }
}
