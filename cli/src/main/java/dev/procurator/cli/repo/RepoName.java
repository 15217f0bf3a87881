package dev.procurator.cli.repo;

import dev.procurator.cli.api.CliException;

/** {@code owner/name}, or just {@code name} for one of the caller's own repos (the forge resolves the owner). */
record RepoName(String owner, String name) {

    static RepoName parse(String text, String defaultOwner) {
        String trimmed = text.strip().replaceAll("\\.git$", "");
        String[] parts = trimmed.split("/");
        if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
            return new RepoName(parts[0], parts[1]);
        }
        if (parts.length == 1 && !parts[0].isEmpty()) {
            return new RepoName(defaultOwner, parts[0]);
        }
        throw new CliException("'" + text + "' is not a repository name: use owner/name or name");
    }

    String apiPath() {
        return "/api/v1/repos/" + owner + "/" + name;
    }
}
