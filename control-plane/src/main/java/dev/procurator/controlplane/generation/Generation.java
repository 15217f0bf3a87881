package dev.procurator.controlplane.generation;

import java.util.Map;
import java.util.SortedMap;

import dev.procurator.schema.blueprint.Blueprint;

/**
 * One numbered desired state of a source: the commit, the blueprint and the closure of each VM.
 *
 * @param id        unique across sources (the HTTP API's {@code /generations/{id}})
 * @param number    the source's own sequence, 1, 2, ...
 */
public record Generation(long id, String source, long number, String gitCommit, SortedMap<String, Blueprint.Vm> blueprint,
                         Map<String, String> closures, String pipelineUrl, long createdAt) {
}
