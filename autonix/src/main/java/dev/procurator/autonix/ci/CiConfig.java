package dev.procurator.autonix.ci;

import java.util.List;

/**
 * One CI configuration file.
 *
 * @param system "github-actions", "gitlab-ci", "procurator", "jenkins", ...
 * @param path   the file, relative to the repository root
 * @param jobs   job names, where the format names them and the file could be read
 */
public record CiConfig(String system, String path, List<String> jobs) {
}
