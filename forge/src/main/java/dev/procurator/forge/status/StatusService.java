package dev.procurator.forge.status;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.procurator.common.error.ApiException;
import dev.procurator.forge.repo.GitStorage;
import dev.procurator.forge.repo.Repo;

/** Commit statuses: validated, only for commits the repository has, combined per commit. */
@Service
public class StatusService {

    public static final Set<String> STATES = Set.of("pending", "success", "failure", "error");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final Logger log = LoggerFactory.getLogger(StatusService.class);

    private final CommitStatusStore store;
    private final GitStorage storage;

    StatusService(CommitStatusStore store, GitStorage storage) {
        this.store = store;
        this.storage = storage;
    }

    @Transactional
    public CommitStatus create(Repo repo, String sha, String state, String context, String description,
                               String targetUrl, String creator) {
        String commit = requireCommit(repo, sha);
        if (state == null || !STATES.contains(state)) {
            throw ApiException.badRequest("invalid_state", "state must be one of pending, success, failure, error.");
        }
        String ctx = context == null || context.isBlank() ? "default" : context.strip();
        if (ctx.length() > 255) {
            throw ApiException.badRequest("invalid_context", "context has at most 255 characters.");
        }
        String desc = description == null ? "" : description;
        if (desc.length() > 1000) {
            throw ApiException.badRequest("invalid_description", "description has at most 1000 characters.");
        }
        String url = targetUrl == null ? "" : targetUrl;
        if (!url.isEmpty() && !(url.startsWith("http://") || url.startsWith("https://")) || url.length() > 2000) {
            throw ApiException.badRequest("invalid_target_url", "targetUrl must be an http(s) URL of at most 2000 characters.");
        }
        CommitStatus saved = store.save(new CommitStatus(repo.id(), commit, state, ctx, desc, url, creator));
        log.info("commit status repo={} commit={} context={} state={} by={}", repo.fullName(), commit, ctx, state,
                creator);
        return saved;
    }

    public List<CommitStatus> of(Repo repo, String sha) {
        return store.findByRepoIdAndShaOrderByIdDesc(repo.id(), requireCommit(repo, sha));
    }

    public CombinedStatus combined(Repo repo, String sha) {
        String commit = requireCommit(repo, sha);
        return CombinedStatus.of(commit, store.findByRepoIdAndShaOrderByIdDesc(repo.id(), commit));
    }

    /** Combined statuses of many commits at once (the UI's commit list); commits without statuses are absent. */
    public Map<String, CombinedStatus> combined(Repo repo, Collection<String> shas) {
        Map<String, List<CommitStatus>> bySha = new LinkedHashMap<>();
        if (shas.isEmpty()) {
            return Map.of();
        }
        for (CommitStatus s : store.findByRepoIdAndShaInOrderByIdDesc(repo.id(), shas)) {
            bySha.computeIfAbsent(s.sha(), k -> new java.util.ArrayList<>()).add(s);
        }
        Map<String, CombinedStatus> result = new LinkedHashMap<>();
        bySha.forEach((sha, list) -> result.put(sha, CombinedStatus.of(sha, list)));
        return result;
    }

    private String requireCommit(Repo repo, String sha) {
        String id = sha == null ? "" : sha.toLowerCase(Locale.ROOT);
        if (!SHA.matcher(id).matches()) {
            throw ApiException.badRequest("invalid_sha", "A commit is named by its full 40-character hex SHA-1.");
        }
        try (Repository git = storage.open(repo.owner().name(), repo.name())) {
            if (!git.getObjectDatabase().has(ObjectId.fromString(id))) {
                throw ApiException.notFound("Commit " + id + " is not in " + repo.fullName() + ".");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read repository " + repo.fullName(), e);
        }
        return id;
    }
}
