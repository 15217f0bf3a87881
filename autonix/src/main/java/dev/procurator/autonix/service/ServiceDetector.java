package dev.procurator.autonix.service;

import java.util.ArrayList;
import java.util.List;

import dev.procurator.autonix.scan.ParsedFiles;

/** Finds the services of a repository from compose files, Procfiles, Dockerfiles and framework conventions. */
public final class ServiceDetector {

    private final ComposeDetector compose = new ComposeDetector();
    private final ProcfileDetector procfile = new ProcfileDetector();
    private final DockerfileDetector dockerfile = new DockerfileDetector();
    private final SpringBootDetector springBoot = new SpringBootDetector();
    private final NodeStartDetector nodeStart = new NodeStartDetector();
    private final ServiceMerger merger = new ServiceMerger();

    /** @param repositoryName names a service found at the repository root */
    public List<Service> detect(ParsedFiles files, String repositoryName) {
        List<ServiceCandidate> candidates = new ArrayList<>();
        candidates.addAll(compose.detect(files));
        candidates.addAll(procfile.detect(files));
        candidates.addAll(dockerfile.detect(files, repositoryName));
        candidates.addAll(springBoot.detect(files, repositoryName));
        candidates.addAll(nodeStart.detect(files, repositoryName));
        return merger.merge(candidates);
    }
}
