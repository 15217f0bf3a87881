package dev.procurator.autonix.service;

import java.util.ArrayList;
import java.util.List;

import dev.procurator.autonix.build.NodePackageManager;
import dev.procurator.autonix.build.NodeScripts;
import dev.procurator.autonix.scan.ParsedFiles;
import dev.procurator.autonix.scan.RepositoryFiles;

/** A Node.js package with a "start" script is an application (a library has none). */
final class NodeStartDetector {

    List<ServiceCandidate> detect(ParsedFiles files, String repositoryName) {
        List<ServiceCandidate> candidates = new ArrayList<>();
        for (String manifest : files.files().named("package.json")) {
            NodeScripts scripts = NodeScripts.of(files, manifest);
            if (!scripts.has("start")) {
                continue;
            }
            String dir = RepositoryFiles.directoryOf(manifest);
            String name = scripts.packageName() != null
                    ? ServiceNames.toDnsLabel(scripts.packageName())
                    : DirectoryNames.serviceName(dir, repositoryName);
            String command = NodePackageManager.forDirectory(files.files(), dir).command() + " start";
            candidates.add(new ServiceCandidate(ServiceCandidate.Kind.FRAMEWORK, name, dir, manifest, command,
                    CommandPorts.find(scripts.get("start")), null, "node"));
        }
        return candidates;
    }
}
