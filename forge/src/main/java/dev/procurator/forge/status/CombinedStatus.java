package dev.procurator.forge.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of a commit across all contexts, as GitHub computes it: the latest status per context counts;
 * any failure or error makes it {@code failure}, else any pending (or none at all) {@code pending}, else
 * {@code success}.
 */
public record CombinedStatus(String state, String sha, int totalCount, List<CommitStatus> statuses) {

    /** @param newestFirst every status of the commit, newest first */
    public static CombinedStatus of(String sha, List<CommitStatus> newestFirst) {
        Map<String, CommitStatus> latest = new LinkedHashMap<>();
        for (CommitStatus s : newestFirst) {
            latest.putIfAbsent(s.context(), s);
        }
        List<CommitStatus> current = new ArrayList<>(latest.values());
        return new CombinedStatus(combine(current.stream().map(CommitStatus::state).toList()), sha, current.size(),
                current);
    }

    static String combine(List<String> states) {
        if (states.isEmpty()) {
            return "pending";
        }
        if (states.contains("failure") || states.contains("error")) {
            return "failure";
        }
        return states.contains("pending") ? "pending" : "success";
    }
}
