package dev.procurator.ci.pipeline;

import java.util.regex.Pattern;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

import dev.procurator.common.error.ApiException;

/**
 * Checks what a webhook or an API call asks to build before anything is queued: a forge repository name
 * ({@code owner/name}, the forge's own rules), a branch name git accepts, a full commit id. The names end up in paths
 * and refs, so nothing else gets through.
 */
public final class PipelineRequests {

    private static final Pattern OWNER = Pattern.compile("[a-z0-9](-?[a-z0-9])*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

    private PipelineRequests() {
    }

    public static String repo(String repo) {
        String[] parts = repo == null ? new String[0] : repo.split("/", -1);
        if (parts.length != 2 || parts[0].length() > 40 || !OWNER.matcher(parts[0]).matches()
                || !NAME.matcher(parts[1]).matches() || parts[1].contains("..") || parts[1].endsWith(".git")
                || parts[1].endsWith(".")) {
            throw ApiException.badRequest("invalid_repo",
                    "'" + repo + "' is not a forge repository name (owner/name).");
        }
        return repo;
    }

    /** A branch name, given as {@code main} or {@code refs/heads/main}. */
    public static String branch(String ref) {
        String branch = ref != null && ref.startsWith(Constants.R_HEADS) ? ref.substring(Constants.R_HEADS.length())
                : ref;
        if (branch == null || branch.isEmpty() || branch.length() > 255
                || !Repository.isValidRefName(Constants.R_HEADS + branch)) {
            throw ApiException.badRequest("invalid_ref", "'" + ref + "' is not a branch name.");
        }
        return branch;
    }

    public static String commit(String sha) {
        if (sha == null || !SHA.matcher(sha).matches()) {
            throw ApiException.badRequest("invalid_commit", "'" + sha + "' is not a full commit id (40 hex digits).");
        }
        return sha;
    }
}
