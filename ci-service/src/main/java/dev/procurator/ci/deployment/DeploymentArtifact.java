package dev.procurator.ci.deployment;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

import tools.jackson.databind.JsonNode;

/**
 * {@code deployment.json}: what a pipeline built and what it means for the cluster (seed 003's shape, camelCase).
 *
 * @param blueprint       the blueprint exactly as the flake's {@code blueprintJSON} evaluated
 * @param closures        the system closure of each VM
 * @param changedVms      VMs added, changed or removed against {@code previousCommit}'s deployment
 * @param previousCommit  the commit of the branch's last successful deployment it was compared with, or null
 */
public record DeploymentArtifact(String repository, String branch, String gitCommit, JsonNode blueprint,
                                 SortedMap<String, String> closures, List<String> changedVms, Changes changes,
                                 String previousCommit, long pipeline, String pipelineUrl, String cache,
                                 Instant createdAt) {
}
