package dev.procurator.autonix.service;

import dev.procurator.autonix.scan.RepositoryFiles;

final class DirectoryNames {

    private DirectoryNames() {
    }

    /** A service in a sub-directory is named after it; one at the root after the repository. */
    static String serviceName(String dir, String repositoryName) {
        return ServiceNames.toDnsLabel(dir.equals(".") ? repositoryName : RepositoryFiles.fileName(dir));
    }
}
