package dev.procurator.autonix.service;

import java.util.List;

/**
 * One detector's view of a service, before the views of the same service from several files are merged.
 *
 * @param kind  which detector saw it; decides precedence when merging
 * @param name  the name that detector would give it (already a DNS label)
 * @param dir   the directory of the code it runs; null when it only runs an image
 */
record ServiceCandidate(Kind kind, String name, String dir, String source, String command, List<Integer> ports,
                        Service.HttpEndpoint httpHealth, String runtime) {

    enum Kind { COMPOSE, PROCFILE, FRAMEWORK, DOCKERFILE }
}
