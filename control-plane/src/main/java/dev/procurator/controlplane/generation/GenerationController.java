package dev.procurator.controlplane.generation;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.common.auth.Callers;
import dev.procurator.common.error.ApiException;
import dev.procurator.schema.blueprint.Blueprint;
import jakarta.servlet.http.HttpServletRequest;

/** {@code /api/v1/generations}: a source's generations, newest first, and one with its blueprint and closures. */
@RestController
class GenerationController {

    /** A generation in a list. */
    record GenerationSummary(long id, String source, long number, String commit, String pipelineUrl, long createdAt,
                             List<String> vms) {
    }

    /** A generation in full. */
    record GenerationDetail(long id, String source, long number, String commit, String pipelineUrl, long createdAt,
                            Map<String, Blueprint.Vm> blueprint, Map<String, String> closures) {
    }

    private final GenerationStore generations;

    GenerationController(GenerationStore generations) {
        this.generations = generations;
    }

    @GetMapping("/api/v1/generations")
    List<GenerationSummary> list(@RequestParam String source, HttpServletRequest request) {
        Callers.requireScope(request, "read");
        try {
            Source.parse(source);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid", e.getMessage());
        }
        return generations.ofSource(source, 100).stream().map(g -> new GenerationSummary(g.id(), g.source(),
                g.number(), g.gitCommit(), g.pipelineUrl(), g.createdAt(), List.copyOf(g.blueprint().keySet())))
                .toList();
    }

    @GetMapping("/api/v1/generations/{id}")
    GenerationDetail get(@PathVariable long id, HttpServletRequest request) {
        Callers.requireScope(request, "read");
        Generation g = generations.byId(id).orElseThrow(() -> ApiException.notFound("no generation " + id));
        return new GenerationDetail(g.id(), g.source(), g.number(), g.gitCommit(), g.pipelineUrl(), g.createdAt(),
                g.blueprint(), g.closures());
    }
}
