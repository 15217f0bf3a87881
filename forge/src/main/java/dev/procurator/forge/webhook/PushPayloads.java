package dev.procurator.forge.webhook;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;

import dev.procurator.forge.repo.Repo;

/** Builds the push payload of one ref update from the repository's history. */
final class PushPayloads {

    static final int MAX_COMMITS = 20;

    private PushPayloads() {
    }

    static PushPayload build(Repo repo, String pusher, Repository git, ReceiveCommand cmd, long pushId,
                             String baseUrl, Instant at) throws IOException {
        String htmlUrl = baseUrl + "/" + repo.fullName();
        boolean created = cmd.getType() == ReceiveCommand.Type.CREATE;
        boolean deleted = cmd.getType() == ReceiveCommand.Type.DELETE;
        List<PushPayload.Commit> commits = deleted ? List.of() : newCommits(git, cmd, htmlUrl);
        PushPayload.Commit head = deleted ? null : headCommit(git, cmd.getNewId(), htmlUrl);
        return new PushPayload("push", pushId, cmd.getRefName(), cmd.getOldId().name(), cmd.getNewId().name(),
                created, deleted, cmd.getType() == ReceiveCommand.Type.UPDATE_NONFASTFORWARD,
                new PushPayload.Repository(repo.id(), repo.owner().name(), repo.name(), repo.fullName(),
                        repo.isPrivate(), repo.defaultBranch(), htmlUrl + ".git", htmlUrl),
                new PushPayload.Pusher(pusher), commits, head, at);
    }

    private static List<PushPayload.Commit> newCommits(Repository git, ReceiveCommand cmd, String htmlUrl)
            throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            RevObject tip = walk.parseAny(cmd.getNewId());
            if (!(tip instanceof RevCommit commit)) {
                return List.of();
            }
            walk.markStart(commit);
            if (!cmd.getOldId().equals(ObjectId.zeroId())) {
                markUninteresting(walk, cmd.getOldId());
            } else {
                // A new branch: only what no other branch already had is new.
                for (Ref other : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                    if (!other.getName().equals(cmd.getRefName()) && other.getObjectId() != null) {
                        markUninteresting(walk, other.getObjectId());
                    }
                }
            }
            List<PushPayload.Commit> commits = new ArrayList<>();
            for (RevCommit c : walk) {
                commits.add(commit(c, htmlUrl));
                if (commits.size() == MAX_COMMITS) {
                    break;
                }
            }
            Collections.reverse(commits);
            return commits;
        }
    }

    private static void markUninteresting(RevWalk walk, ObjectId id) throws IOException {
        RevObject o = walk.parseAny(id);
        if (o instanceof RevCommit c) {
            walk.markUninteresting(c);
        }
    }

    private static PushPayload.Commit headCommit(Repository git, ObjectId id, String htmlUrl) throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            RevObject o = walk.parseAny(id);
            return o instanceof RevCommit c ? commit(c, htmlUrl) : null;
        }
    }

    private static PushPayload.Commit commit(RevCommit c, String htmlUrl) {
        PersonIdent author = c.getAuthorIdent();
        PersonIdent committer = c.getCommitterIdent();
        return new PushPayload.Commit(c.name(), c.getFullMessage(),
                new PushPayload.Person(author.getName(), author.getEmailAddress()),
                new PushPayload.Person(committer.getName(), committer.getEmailAddress()),
                committer.getWhenAsInstant(), htmlUrl + "/commit/" + c.name());
    }
}
