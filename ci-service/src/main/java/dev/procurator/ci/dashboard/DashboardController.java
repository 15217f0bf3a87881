package dev.procurator.ci.dashboard;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import dev.procurator.ci.CiProperties;
import dev.procurator.ci.deployment.Deployments;
import dev.procurator.ci.pipeline.Pipeline;
import dev.procurator.ci.pipeline.PipelineRequests;
import dev.procurator.ci.pipeline.PipelineService;
import dev.procurator.ci.pipeline.PipelineStatus;
import dev.procurator.ci.pipeline.PipelineStore;
import dev.procurator.ci.pipeline.PipelineViews;

/**
 * The CI dashboard: at {@code /} the pipelines (status, branch, commit, duration), refreshed every two seconds; at
 * {@code /pipelines/<id>} one pipeline with its steps, the live log of a step (Server-Sent Events), its closures and
 * which VMs changed against the previous deployment.
 */
@Controller
class DashboardController {

    private static final int SHOWN = 50;

    /** A pipeline as a table row. */
    record Row(long id, String repo, String branch, String commit, String shortCommit, String status, String badge,
               String trigger, String created, String duration, List<String> changedVms, String message) {
    }

    /** A step as a table row. */
    record StepRow(String name, String status, String badge, String started, String duration, String message) {
    }

    /** A VM of the deployment: its closure and what happened to it. */
    record VmRow(String vm, String closure, String change) {
    }

    private final PipelineStore pipelines;
    private final PipelineService service;
    private final PipelineViews views;
    private final Deployments deployments;
    private final CiProperties properties;

    DashboardController(PipelineStore pipelines, PipelineService service, PipelineViews views, Deployments deployments,
                        CiProperties properties) {
        this.pipelines = pipelines;
        this.service = service;
        this.views = views;
        this.deployments = deployments;
        this.properties = properties;
    }

    @GetMapping("/")
    String dashboard(Model model, @RequestParam(required = false) String repo) {
        addPipelines(model, repo);
        model.addAttribute("repo", repo);
        model.addAttribute("queued", pipelines.countByStatus(PipelineStatus.QUEUED));
        model.addAttribute("running", pipelines.countByStatus(PipelineStatus.RUNNING));
        model.addAttribute("executors", properties.executors());
        return "ci/pipelines";
    }

    /** The table body alone, for the page's refresh. */
    @GetMapping("/fragments/pipelines")
    String pipelineRows(Model model, @RequestParam(required = false) String repo) {
        addPipelines(model, repo);
        return "ci/pipelines :: rows";
    }

    @GetMapping("/pipelines/{id}")
    String pipeline(Model model, @PathVariable long id) {
        addPipeline(model, id);
        return "ci/pipeline";
    }

    /** The live part of the pipeline page (status and steps), for its refresh. */
    @GetMapping("/fragments/pipelines/{id}")
    String pipelineLive(Model model, @PathVariable long id) {
        addPipeline(model, id);
        return "ci/pipeline :: live";
    }

    private void addPipelines(Model model, String repo) {
        List<Pipeline> found = repo == null || repo.isBlank() ? pipelines.findAllByOrderByIdDesc(Limit.of(SHOWN))
                : pipelines.findByRepoOrderByIdDesc(PipelineRequests.repo(repo), Limit.of(SHOWN));
        model.addAttribute("pipelines", found.stream().map(p -> row(views.summary(p))).toList());
    }

    private void addPipeline(Model model, long id) {
        Pipeline pipeline = service.require(id);
        PipelineViews.Summary summary = views.summary(pipeline);
        List<StepRow> steps = views.steps(pipeline).stream()
                .map(s -> new StepRow(s.name(), s.status().wire(), badge(s.status().wire()),
                        Display.time(s.startedAt()), Display.duration(s.durationMs()), s.message()))
                .toList();
        model.addAttribute("pipeline", row(summary));
        model.addAttribute("finished", pipeline.status().finished());
        model.addAttribute("started", Display.time(pipeline.startedAt()));
        model.addAttribute("finishedAt", Display.time(pipeline.finishedAt()));
        model.addAttribute("triggeredBy", pipeline.triggeredBy());
        model.addAttribute("attempts", pipeline.attempts());
        model.addAttribute("steps", steps);
        model.addAttribute("followStep", steps.isEmpty() ? null : steps.getLast().name());
        var artifact = deployments.artifact(id).orElse(null);
        model.addAttribute("vms", artifact == null ? List.of() : vmRows(artifact.closures(), artifact.changes()));
        model.addAttribute("removedVms", artifact == null ? List.of() : artifact.changes().removed());
        model.addAttribute("previousCommit", artifact == null ? null : artifact.previousCommit());
        model.addAttribute("artifact", deployments.artifactJson(id).orElse(null));
    }

    private static List<VmRow> vmRows(Map<String, String> closures, dev.procurator.ci.deployment.Changes changes) {
        return new TreeMap<>(closures).entrySet().stream().map(e -> new VmRow(e.getKey(), e.getValue(),
                changes.added().contains(e.getKey()) ? "added"
                        : changes.changed().contains(e.getKey()) ? "changed" : "unchanged")).toList();
    }

    private static Row row(PipelineViews.Summary p) {
        return new Row(p.id(), p.repo(), p.branch(), p.commit(), p.commit().substring(0, 10), p.status().wire(),
                badge(p.status().wire()), p.trigger().wire(), Display.time(p.createdAt()),
                Display.duration(p.durationMs()), p.changedVms(), p.message());
    }

    /** The layout's badge colours: success green, failure red, pending amber. */
    private static String badge(String status) {
        return switch (status) {
            case "succeeded" -> "success";
            case "failed" -> "failure";
            case "queued", "running" -> "pending";
            default -> "";
        };
    }
}
