package dev.procurator.ci.pipeline;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.data.domain.Limit;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.ci.checkout.RepoMirror;
import dev.procurator.ci.retry.TransientFailure;
import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.Callers;
import dev.procurator.common.error.ApiException;

/**
 * The pipelines API ({@code /api/v1/pipelines}): list, show, trigger by hand, cancel, retry. Reading needs a token
 * with {@code read}, changing one with {@code write}.
 */
@RestController
@RequestMapping("/api/v1/pipelines")
class PipelineApiController {

    private static final int MAX_LIMIT = 500;

    /** A pipeline asked for by hand: a repository and a branch ({@code main} or {@code refs/heads/main}). */
    record ManualRequest(String repo, String ref) {
    }

    private final PipelineStore pipelines;
    private final PipelineService service;
    private final PipelineViews views;
    private final RepoMirror mirror;

    PipelineApiController(PipelineStore pipelines, PipelineService service, PipelineViews views, RepoMirror mirror) {
        this.pipelines = pipelines;
        this.service = service;
        this.views = views;
        this.mirror = mirror;
    }

    /** Newest first; {@code repo} and {@code branch} narrow it down. */
    @GetMapping
    List<PipelineViews.Summary> list(HttpServletRequest request, @RequestParam(required = false) String repo,
                                     @RequestParam(required = false) String branch,
                                     @RequestParam(defaultValue = "50") int limit) {
        Callers.requireScope(request, "read");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("invalid_limit", "limit must be between 1 and " + MAX_LIMIT + ".");
        }
        if (branch != null && repo == null) {
            throw ApiException.badRequest("missing_repo", "branch needs repo.");
        }
        List<Pipeline> found = repo == null ? pipelines.findAllByOrderByIdDesc(Limit.of(limit))
                : branch == null ? pipelines.findByRepoOrderByIdDesc(PipelineRequests.repo(repo), Limit.of(limit))
                : pipelines.findByRepoAndBranchOrderByIdDesc(PipelineRequests.repo(repo),
                PipelineRequests.branch(branch), Limit.of(limit));
        return found.stream().map(views::summary).toList();
    }

    @GetMapping("/{id}")
    PipelineViews.Detail show(HttpServletRequest request, @PathVariable long id) {
        Callers.requireScope(request, "read");
        return views.detail(service.require(id));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    PipelineViews.Detail trigger(HttpServletRequest request, @RequestBody(required = false) ManualRequest body) {
        Caller caller = Callers.requireScope(request, "write");
        if (body == null || body.repo() == null || body.ref() == null) {
            throw ApiException.badRequest("invalid_request", "Expected {\"repo\": \"owner/name\", \"ref\": \"main\"}.");
        }
        String repo = PipelineRequests.repo(body.repo());
        String branch = PipelineRequests.branch(body.ref());
        String commit;
        try {
            commit = mirror.resolveBranch(repo, branch);
        } catch (RepoMirror.UnknownRepository e) {
            throw new ApiException(HttpStatus.NOT_FOUND, "unknown_repo", e.getMessage());
        } catch (RepoMirror.UnknownBranch e) {
            throw new ApiException(HttpStatus.NOT_FOUND, "unknown_ref", e.getMessage());
        } catch (TransientFailure e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "forge_unreachable", e.getMessage());
        }
        Pipeline pipeline = service.enqueue(new PipelineService.Request(repo, branch, commit,
                Trigger.MANUAL, caller.name(), null, null));
        return views.detail(pipeline);
    }

    @PostMapping("/{id}/cancel")
    PipelineViews.Detail cancel(HttpServletRequest request, @PathVariable long id) {
        Caller caller = Callers.requireScope(request, "write");
        return views.detail(service.cancel(id, caller.name()));
    }

    @PostMapping("/{id}/retry")
    @ResponseStatus(HttpStatus.CREATED)
    PipelineViews.Detail retry(HttpServletRequest request, @PathVariable long id) {
        Caller caller = Callers.requireScope(request, "write");
        return views.detail(service.retry(id, caller.name()));
    }
}
