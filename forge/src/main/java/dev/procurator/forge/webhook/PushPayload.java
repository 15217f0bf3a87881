package dev.procurator.forge.webhook;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The JSON body of a {@code push} webhook (shape close to GitHub's). Property names are snake_case on the wire, the
 * one exception to the platform's camelCase, so tools written for GitHub's webhooks read it.
 * {@code before}/{@code after} are 40 zeros for a created/deleted ref; {@code commits} holds up to
 * {@value PushPayloads#MAX_COMMITS} commits new to the repository's branches, oldest first.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PushPayload(
        String event,
        long pushId,
        String ref,
        String before,
        String after,
        boolean created,
        boolean deleted,
        boolean forced,
        Repository repository,
        Pusher pusher,
        List<Commit> commits,
        Commit headCommit,
        Instant pushedAt) {

    /** The same payload naming its event, whose id is known once the event's row exists. */
    PushPayload withPushId(long id) {
        return new PushPayload(event, id, ref, before, after, created, deleted, forced, repository, pusher, commits,
                headCommit, pushedAt);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Repository(long id, String owner, String name, String fullName,
                             @JsonProperty("private") boolean isPrivate, String defaultBranch, String cloneUrl,
                             String htmlUrl) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pusher(String name) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Person(String name, String email) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Commit(String id, String message, Person author, Person committer, Instant timestamp, String url) {
    }
}
