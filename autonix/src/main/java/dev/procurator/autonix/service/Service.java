package dev.procurator.autonix.service;

import java.util.List;

/**
 * Something that runs and would become a VM.
 *
 * @param name       a DNS-label name (it becomes the VM's name)
 * @param dir        its source directory relative to the repository root; null for an image-only compose service
 * @param sources    the files it was detected from
 * @param command    how it starts, when known
 * @param ports      the TCP ports it listens on, ascending
 * @param httpHealth an HTTP health endpoint, when the framework is known to serve one
 * @param runtime    what it runs on ("jvm", "node", "python", "image:postgres:16", ...), when known
 */
public record Service(String name, String dir, List<String> sources, String command, List<Integer> ports,
                      HttpEndpoint httpHealth, String runtime) {

    /** An HTTP endpoint that answers 2xx while the service is healthy. */
    public record HttpEndpoint(int port, String path) {
    }
}
