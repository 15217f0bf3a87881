package dev.procurator.ci.webhook;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What the CI reads of the forge's {@code push} payload (snake_case on the wire, GitHub's shape; the full payload is
 * documented in the forge's README). One payload per ref update.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record ForgePush(String event, String ref, String before, String after, boolean deleted, Repository repository,
                 Pusher pusher) {

    static final String BRANCH_PREFIX = "refs/heads/";

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Repository(String owner, String name, String fullName) {
    }

    record Pusher(String name) {
    }

    boolean isBranch() {
        return ref != null && ref.startsWith(BRANCH_PREFIX);
    }

    String branch() {
        return ref.substring(BRANCH_PREFIX.length());
    }
}
